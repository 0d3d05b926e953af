"use client";

import { useState } from "react";
import type { DeviceProfile } from "@/lib/dcr/device-profiles";
import { encodeDeviceInfo } from "./http";

const CONTROL =
  "block w-full rounded-md border-0 bg-white px-3 py-2 shadow-sm ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-indigo-500 aria-invalid:ring-red-500 dark:bg-zinc-950 dark:ring-zinc-700";

/** The facts a device sends, and the User-Agent it would send (a browser cannot set that header itself). */
export const profileJson = (p: DeviceProfile) =>
  JSON.stringify({ ...p.deviceInfo, userAgent: p.userAgent }, null, 2);

/** A preset device, editable as JSON; shows the X-Device-Info header exactly as it will be sent. */
export function DeviceProfileEditor({
  profiles,
  json,
  onChange,
  disabled,
}: {
  profiles: DeviceProfile[];
  json: string;
  onChange: (json: string) => void;
  disabled: boolean;
}) {
  const [profileId, setProfileId] = useState(profiles[0]?.id ?? "");
  const header = encodeDeviceInfo(json);
  return (
    <fieldset className="space-y-3" disabled={disabled}>
      <legend className="text-sm font-medium">Device</legend>
      <div className="space-y-1.5">
        <label htmlFor="sim-profile" className="block text-sm font-medium">
          Device profile
        </label>
        <select
          id="sim-profile"
          value={profileId}
          onChange={(e) => {
            const profile = profiles.find((p) => p.id === e.target.value);
            setProfileId(e.target.value);
            if (profile) onChange(profileJson(profile));
          }}
          className={`${CONTROL} text-sm`}
        >
          {profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-1.5">
        <label htmlFor="sim-device-info" className="block text-sm font-medium">
          Device facts (JSON)
        </label>
        <textarea
          id="sim-device-info"
          rows={8}
          value={json}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={header ? undefined : true}
          aria-describedby="sim-device-info-hint"
          spellCheck={false}
          className={`${CONTROL} font-mono text-xs`}
        />
        <div
          id="sim-device-info-hint"
          className="text-xs text-zinc-500 dark:text-zinc-400"
          aria-live="polite"
        >
          {header ? (
            <>
              Sent as <code className="font-mono">X-Device-Info</code> (base64 of this JSON):{" "}
              <code
                data-testid="device-info-header"
                className="break-all font-mono text-zinc-700 dark:text-zinc-300"
              >
                {header}
              </code>
            </>
          ) : (
            <span className="text-red-600 dark:text-red-400">
              This is not valid JSON: fix it to run a step.
            </span>
          )}
        </div>
      </div>
    </fieldset>
  );
}
