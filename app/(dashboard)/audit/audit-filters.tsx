import { FilterActions } from "@/components/filter-actions";

export type AuditFilterValues = {
  action?: string;
  actor?: string;
  targetId?: string;
  since?: string;
  until?: string;
};

const controlClass =
  "rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-indigo-500 dark:bg-zinc-950 dark:ring-zinc-700";

const ACTION_SUGGESTIONS = [
  "application.*",
  "application.created",
  "statement.*",
  "statement.generated",
  "statement.uploaded",
  "statement.downloaded",
  "statement.revoked",
  "client.*",
  "client.registered",
  "issuer.*",
  "member.*",
  "org.*",
  "simulation.run",
  "support.*",
  "support.acting_started",
  "support.acting_stopped",
];

/** The trail's filters as a plain GET form: every filtered view has a URL to share, and to export. */
export function AuditFilters({ values, filtered }: { values: AuditFilterValues; filtered: boolean }) {
  return (
    <form role="search" aria-label="Filter events" className="mb-4 flex flex-wrap items-end gap-3">
      <label className="text-sm">
        <span className="mb-1 block font-medium">Action</span>
        <input
          name="action"
          list="audit-actions"
          placeholder="statement.* or statement.revoked"
          defaultValue={values.action ?? ""}
          className={`${controlClass} w-64`}
        />
        <datalist id="audit-actions">
          {ACTION_SUGGESTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Actor email</span>
        <input
          name="actor"
          type="email"
          defaultValue={values.actor ?? ""}
          className={`${controlClass} w-56`}
        />
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Object ID</span>
        <input name="targetId" defaultValue={values.targetId ?? ""} className={`${controlClass} w-56`} />
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Since</span>
        <input type="date" name="since" defaultValue={values.since ?? ""} className={controlClass} />
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Until</span>
        <input type="date" name="until" defaultValue={values.until ?? ""} className={controlClass} />
      </label>
      <FilterActions clearHref="/audit" filtered={filtered} />
    </form>
  );
}
