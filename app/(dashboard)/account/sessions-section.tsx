import { relativeTime } from "@/lib/time-format";
import { Card, CardHeader } from "@/components/ui/card";
import type { SessionView } from "@/lib/auth/sessions";
import { EndOtherSessionsButton, EndSessionButton } from "./end-session-buttons";
import { Time } from "@/components/time";
import { formatIp } from "@/components/format";

/** The caller's live sessions, with a way to end any but this one (which "Sign out" ends). */
export function SessionsSection({ sessions }: { sessions: SessionView[] }) {
  const others = sessions.filter((s) => !s.current).length;
  return (
    <Card className="mt-6">
      <CardHeader
        title="Sessions"
        description="Where your account is signed in. Each session ends 12 hours after its sign-in."
        action={others > 0 && <EndOtherSessionsButton />}
      />
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {sessions.map((s) => {
          const description = `signed in ${relativeTime(s.createdAt)} from ${formatIp(s.ip) ?? "an unknown address"}`;
          return (
            <li
              key={s.id}
              data-testid="session"
              className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm"
            >
              <div className="min-w-0">
                <p className="font-medium">
                  Signed in <Time date={s.createdAt} /> · {formatIp(s.ip) ?? "unknown address"}
                  {s.current && (
                    <span className="ml-2 rounded bg-indigo-50 px-2 py-0.5 text-xs text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">
                      This session
                    </span>
                  )}
                </p>
                <p className="truncate text-xs text-zinc-500">
                  {s.userAgent ?? "Unknown browser"} · ends <Time date={s.expiresAt} />
                </p>
              </div>
              {!s.current && <EndSessionButton id={s.id} description={description} />}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
