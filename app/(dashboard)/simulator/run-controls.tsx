"use client";

import { RotateCcw } from "lucide-react";
import Link from "next/link";
import type { Scenario } from "@/lib/simulator/ticket";
import { Button } from "@/components/ui/button";
import type { DeviceState } from "./device-storage";
import { EXPIRY_SECONDS, type WalkthroughStep } from "./scenarios";

type Play = Exclude<Scenario, "walkthrough">;

const STEPS: { step: WalkthroughStep; label: string }[] = [
  { step: "register", label: "Register" },
  { step: "token", label: "Get token" },
  { step: "api", label: "Call the API" },
  { step: "refresh", label: "Refresh" },
];

const PLAYS: {
  scenario: Play;
  label: string;
  description: string;
  seeAlso?: { href: string; label: string };
}[] = [
  {
    scenario: "lost_credentials",
    label: "Lost credentials",
    description:
      "The app forgets its credentials, registers again and gets a new client_id: its user's sign-in is lost.",
    // Where the console flags real devices doing this over and over.
    seeAlso: { href: "/?range=7d#re-registration", label: "Which statements' devices re-register" },
  },
  {
    scenario: "token_expiry",
    label: "Token expiry",
    description: `A ${EXPIRY_SECONDS} s token expires, the API answers 401, a refresh fixes it.`,
  },
  {
    scenario: "revoked_statement",
    label: "Revoked statement",
    description:
      "On a revoked statement: register, token and API each fail, and users are blocked from playback.",
  },
];

/** The walkthrough's four steps, the scenarios, and reset; disabled (with the reason) when they can't run. */
export function RunControls({
  ready,
  canWrite,
  busy,
  device,
  statementStatus,
  onStep,
  onPlay,
  onReset,
}: {
  ready: boolean;
  canWrite: boolean;
  busy: boolean;
  device: DeviceState | null;
  statementStatus: "active" | "revoked" | undefined;
  onStep: (step: WalkthroughStep) => void;
  onPlay: (scenario: Play) => void;
  onReset: () => void;
}) {
  const enabled: Record<WalkthroughStep, boolean> = {
    register: canWrite,
    token: Boolean(device),
    api: Boolean(device?.token),
    refresh: Boolean(device?.token),
  };
  const playable = (s: Play) => canWrite && (s === "revoked_statement") === (statementStatus === "revoked");
  return (
    <div className="space-y-5">
      <section aria-labelledby="sim-steps">
        <h3 id="sim-steps" className="mb-2 text-sm font-semibold">
          Walk through
        </h3>
        <ol className="flex flex-wrap gap-2">
          {STEPS.map(({ step, label }, i) => (
            <li key={step}>
              <Button type="button" disabled={!ready || busy || !enabled[step]} onClick={() => onStep(step)}>
                <span aria-hidden className="font-mono text-xs opacity-75">
                  {i + 1}.
                </span>
                {label}
              </Button>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="sim-scenarios">
        <h3 id="sim-scenarios" className="mb-2 text-sm font-semibold">
          Scenarios
        </h3>
        <ul className="space-y-2">
          {PLAYS.map(({ scenario, label, description, seeAlso }) => (
            <li key={scenario} className="flex flex-wrap items-center gap-3">
              <Button
                type="button"
                variant="secondary"
                className="w-44"
                disabled={!ready || busy || !playable(scenario)}
                aria-describedby={`sim-play-${scenario}`}
                onClick={() => onPlay(scenario)}
              >
                {label}
              </Button>
              <span
                id={`sim-play-${scenario}`}
                className="min-w-0 flex-1 text-xs text-zinc-600 dark:text-zinc-400"
              >
                {description}
                {seeAlso && (
                  <>
                    {" "}
                    <Link
                      href={seeAlso.href}
                      className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                    >
                      {seeAlso.label}
                    </Link>
                  </>
                )}
                {canWrite && !playable(scenario) && (
                  <em className="block not-italic text-zinc-500">
                    {scenario === "revoked_statement"
                      ? "Choose a revoked statement to play it."
                      : "Needs an active statement."}
                  </em>
                )}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <div className="flex flex-wrap items-center gap-3">
        <Button
          type="button"
          variant="ghost"
          onClick={onReset}
          disabled={!ready}
          aria-describedby="sim-reset"
        >
          <RotateCcw aria-hidden className="h-4 w-4" /> Reset run
        </Button>
        <span id="sim-reset" className="min-w-0 flex-1 text-xs text-zinc-600 dark:text-zinc-400">
          Stops what is running, clears the timeline and the device&apos;s credentials. Registrations already
          made stay, marked simulated.
        </span>
      </div>
    </div>
  );
}
