import Link from "next/link";
import { RefreshCcw, TriangleAlert } from "lucide-react";
import { formatCount } from "@/components/format";
import {
  REREGISTRATION_MIN,
  REREGISTRATION_SHARE,
  REREGISTRATION_WINDOW_DAYS,
  type FlaggedStatement,
  type Lifetime,
  type ReRegistration,
} from "@/lib/activity/service";

const percent = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)} %`);
const ratio = (value: number | null) => (value === null ? "—" : value.toFixed(1));
const link = "font-medium underline underline-offset-2";

/**
 * The FAQ's warned-against practice, made visible: devices that register again instead of refreshing their token
 * (each registration a new client, and the user's sign-in lost). A warning with what to change when the figures
 * show it, else the figures in one line.
 */
export function ReRegistrationNotice({
  figures,
  subject,
}: {
  figures: ReRegistration & { lifetime: Lifetime };
  subject: "statement" | "application";
}) {
  const days = `last ${REREGISTRATION_WINDOW_DAYS} days`;
  const { lifetime } = figures;
  const perDevice =
    lifetime.registrationsPerDevice === null
      ? ""
      : ` Since its first registration: ${formatCount(lifetime.registrations)} registrations from ${formatCount(lifetime.devices)} ${lifetime.devices === 1 ? "device" : "devices"}, ${ratio(lifetime.registrationsPerDevice)} per device.`;
  if (!figures.flagged) {
    return (
      <p
        className="flex flex-wrap items-center gap-x-2 text-sm text-zinc-600 dark:text-zinc-400"
        data-testid="re-registration"
      >
        <RefreshCcw aria-hidden className="h-4 w-4" />
        Re-registration, {days}: {percent(figures.repeatShare)} of {formatCount(figures.registrations)}{" "}
        registrations came from devices that had registered before; {ratio(figures.tokensPerRegistration)}{" "}
        token requests per registration.{perDevice}
      </p>
    );
  }
  return (
    <div
      id="re-registration"
      role="alert"
      data-testid="re-registration"
      className="rounded-lg border border-amber-300 bg-amber-50 p-5 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <h2 className="flex items-center gap-2 text-base font-semibold">
        <TriangleAlert aria-hidden className="h-4 w-4" />
        Devices register again instead of refreshing their token
      </h2>
      <p className="mt-2">
        In the {days}, {formatCount(figures.repeatRegistrations)} of this {subject}&apos;s{" "}
        {formatCount(figures.registrations)} registrations ({percent(figures.repeatShare)}) came from devices
        that had already registered with it, and it served {ratio(figures.tokensPerRegistration)} token
        requests per registration.{perDevice}
      </p>
      <ReRegistrationAdvice />
    </div>
  );
}

/** What the app's developer should change, with the FAQ rules behind it. */
export function ReRegistrationAdvice() {
  return (
    <>
      <p className="mt-2">
        Each registration makes a new client, and the user&apos;s authenticated profiles belonged to the old
        one: they must sign in again (
        <Link href="/help/faq/5" className={link}>
          FAQ rule 5
        </Link>
        ).
      </p>
      <p className="mt-2">
        <strong>What the app should change:</strong> keep the client_id and client_secret of its first
        registration in storage that survives restarts and updates; when the access token expires, call the
        token endpoint again with them; register only when it holds no credentials (
        <Link href="/help/faq/1" className={link}>
          FAQ rule 1
        </Link>
        ).
      </p>
      <p className="mt-2 text-xs opacity-80">
        Flagged when at least {Math.round(REREGISTRATION_SHARE * 100)} % of {REREGISTRATION_MIN} or more
        registrations in {REREGISTRATION_WINDOW_DAYS} days come from devices seen before (same device facts,
        address and user agent, compared by a salted hash).
      </p>
    </>
  );
}

/** The Overview's list of the statements whose devices re-register, each linked to its page. */
export function ReRegisteringStatements({ items }: { items: FlaggedStatement[] }) {
  if (items.length === 0) {
    return (
      <p
        id="re-registration"
        className="mt-6 flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400"
      >
        <RefreshCcw aria-hidden className="h-4 w-4" />
        No statement&apos;s devices re-register instead of refreshing their token (last{" "}
        {REREGISTRATION_WINDOW_DAYS} days).
      </p>
    );
  }
  return (
    <section
      id="re-registration"
      aria-labelledby="re-registration-title"
      data-testid="re-registering-statements"
      className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-5 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <h2 id="re-registration-title" className="flex items-center gap-2 text-base font-semibold">
        <TriangleAlert aria-hidden className="h-4 w-4" />
        {items.length === 1
          ? "One statement's devices register"
          : `${items.length} statements' devices register`}{" "}
        again instead of refreshing their token
      </h2>
      <ul className="mt-3 space-y-1">
        {items.map((s) => (
          <li key={s.statementId}>
            <Link href={`/statements/${s.statementId}`} className={link}>
              {s.applicationName}, statement {s.fingerprint.slice(0, 12)}…
            </Link>
            : {percent(s.repeatShare)} of {formatCount(s.registrations)} registrations from devices seen
            before, {ratio(s.tokensPerRegistration)} token requests per registration.
          </li>
        ))}
      </ul>
      <ReRegistrationAdvice />
    </section>
  );
}
