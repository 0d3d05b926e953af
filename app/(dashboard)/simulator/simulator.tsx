"use client";

import Link from "next/link";
import { useEffect, useState, useSyncExternalStore } from "react";
import type { DeviceProfile } from "@/lib/dcr/device-profiles";
import type { Scenario } from "@/lib/simulator/ticket";
import { Card, CardHeader } from "@/components/ui/card";
import { startRunAction, type StatementChoice } from "./actions";
import { DevicePanel } from "./device-panel";
import { DeviceProfileEditor, profileJson } from "./device-profile-editor";
import { encodeDeviceInfo } from "./http";
import { SimulatorRun, type Entry } from "./run";
import { SCENARIOS, WALKTHROUGH, type WalkthroughStep } from "./scenarios";
import { RunControls } from "./run-controls";
import { StatementPicker } from "./statement-picker";
import { SCENARIO_LABELS, Timeline } from "./timeline";

const STEP_LABELS: Record<WalkthroughStep, string> = {
  register: "Registering…",
  token: "Getting a token…",
  api: "Calling the API…",
  refresh: "Refreshing the token…",
};

/** What a screen reader hears after each step: the newest timeline entry in one line. */
function announce(entry: Entry | undefined): string {
  if (!entry) return "";
  if (entry.kind === "note") return `${entry.title}. ${entry.text}`;
  const { response, ms } = entry.exchange;
  return `${entry.title}: ${response ? `${response.status} ${response.statusText}` : "no response"}, ${ms} ms.`;
}

export function Simulator({
  statements,
  profiles,
  serviceProvider,
  canWrite,
  initialStatementId,
}: {
  statements: StatementChoice[];
  profiles: DeviceProfile[];
  serviceProvider: string;
  canWrite: boolean;
  initialStatementId: string;
}) {
  const [run] = useState(() => new SimulatorRun(serviceProvider, startRunAction));
  const { entries, device, busy } = useSyncExternalStore(run.subscribe, run.getSnapshot, run.getSnapshot);
  const [choices, setChoices] = useState(statements);
  const [statementId, setStatementId] = useState(initialStatementId);
  const [deviceJson, setDeviceJson] = useState(() => (profiles[0] ? profileJson(profiles[0]) : "{}"));

  // Each statement is its own run, with what the device stored for it (read from this browser's storage).
  // Leaving the page stops a scenario that is still waiting, so it sends nothing more.
  useEffect(() => {
    run.selectStatement(statementId);
    return () => run.stop();
  }, [run, statementId]);

  const statement = choices.find((s) => s.id === statementId);
  const deviceInfoHeader = encodeDeviceInfo(deviceJson);
  const setup = statement && deviceInfoHeader ? { statementId: statement.id, deviceInfoHeader } : null;

  const step = (name: WalkthroughStep) => {
    if (setup) void run.run(STEP_LABELS[name], "walkthrough", setup, WALKTHROUGH[name]);
  };
  const play = (scenario: Exclude<Scenario, "walkthrough">) => {
    if (setup) void run.run(`Playing “${SCENARIO_LABELS[scenario]}”…`, scenario, setup, SCENARIOS[scenario]);
  };

  return (
    <div className="space-y-6">
      {!canWrite && (
        <p
          role="note"
          className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
        >
          <strong>Viewers can watch but not run the simulator.</strong> Registering creates client
          registrations in the organization, which only its admins (or a support representative acting for it)
          may do.
        </p>
      )}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Client application"
            description="The statement it presents and the device it runs on."
          />
          <div className="space-y-6 p-5">
            <StatementPicker
              choices={choices}
              value={statementId}
              onChange={setStatementId}
              onFound={(found) => {
                setChoices((list) => (list.some((s) => s.id === found.id) ? list : [found, ...list]));
                setStatementId(found.id);
              }}
              disabled={Boolean(busy)}
            />
            {statement?.status === "revoked" && (
              <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900 dark:bg-red-950/40 dark:text-red-100">
                <strong>Revoked statement.</strong> Registering with it fails; play “Revoked statement” to see
                what its clients get.{" "}
                <Link href={`/statements/${statement.id}`} className="underline underline-offset-2">
                  Open the statement
                </Link>
              </p>
            )}
            <DeviceProfileEditor
              profiles={profiles}
              json={deviceJson}
              onChange={setDeviceJson}
              disabled={Boolean(busy)}
            />
          </div>
        </Card>
        <Card>
          <CardHeader
            title="Run"
            description="Real requests from this browser to this server's endpoints, as the app would send them. Registrations made here are marked simulated."
          />
          <div className="space-y-6 p-5">
            <RunControls
              ready={Boolean(setup)}
              canWrite={canWrite}
              busy={Boolean(busy)}
              device={device}
              statementStatus={statement?.status}
              onStep={step}
              onPlay={play}
              onReset={() => run.reset()}
            />
            <section
              aria-labelledby="sim-device"
              className="border-t border-zinc-200 pt-4 dark:border-zinc-800"
            >
              <h3 id="sim-device" className="mb-2 text-sm font-semibold">
                Simulated device
              </h3>
              <DevicePanel device={device} revoked={statement?.status === "revoked"} />
            </section>
          </div>
        </Card>
      </div>
      <section aria-labelledby="sim-timeline" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="sim-timeline" className="text-lg font-semibold">
            Timeline
          </h2>
          <Link
            href="/registrations?simulated=only"
            className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
          >
            Simulated registrations
          </Link>
        </div>
        <p aria-live="polite" className="sr-only">
          {announce(entries.at(-1))}
        </p>
        <Timeline entries={entries} busy={busy} />
      </section>
    </div>
  );
}
