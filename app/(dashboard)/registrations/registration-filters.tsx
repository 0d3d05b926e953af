import { PLATFORMS } from "@/lib/applications/schema";
import { FilterActions } from "@/components/filter-actions";

export type RegistrationFilterValues = {
  statementId?: string;
  applicationId?: string;
  platform?: string;
  status?: string;
  from?: string;
  to?: string;
  simulated?: string;
};

const controlClass =
  "rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-indigo-500 dark:bg-zinc-950 dark:ring-zinc-700";

/** The list's filters as a plain GET form: every filtered view has a URL to share or bookmark. */
export function RegistrationFilters({
  values,
  statements,
  applications,
  filtered,
}: {
  values: RegistrationFilterValues;
  statements: { id: string; fingerprint: string; applicationName: string; status: "active" | "revoked" }[];
  applications: { id: string; name: string; version: string }[];
  filtered: boolean;
}) {
  const unknownStatement = values.statementId && !statements.some((s) => s.id === values.statementId);
  return (
    <form role="search" aria-label="Filter registrations" className="mb-4 flex flex-wrap items-end gap-3">
      <label className="text-sm">
        <span className="mb-1 block font-medium">Statement</span>
        <select name="statementId" defaultValue={values.statementId ?? ""} className={controlClass}>
          <option value="">All statements</option>
          {unknownStatement && <option value={values.statementId}>{values.statementId}</option>}
          {statements.map((s) => (
            <option key={s.id} value={s.id}>
              {s.fingerprint.slice(0, 12)}… · {s.applicationName}
              {s.status === "revoked" ? " (revoked)" : ""}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Application</span>
        <select name="applicationId" defaultValue={values.applicationId ?? ""} className={controlClass}>
          <option value="">All applications</option>
          {applications.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.version})
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Platform</span>
        <select name="platform" defaultValue={values.platform ?? ""} className={controlClass}>
          <option value="">All platforms</option>
          {PLATFORMS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Status</span>
        <select name="status" defaultValue={values.status ?? ""} className={controlClass}>
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="cut_off">Cut off</option>
        </select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Registered from</span>
        <input type="date" name="from" defaultValue={values.from ?? ""} className={controlClass} />
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Registered to</span>
        <input type="date" name="to" defaultValue={values.to ?? ""} className={controlClass} />
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium">Simulated</span>
        <select name="simulated" defaultValue={values.simulated ?? "show"} className={controlClass}>
          <option value="show">Include simulated</option>
          <option value="hide">Hide simulated</option>
          <option value="only">Only simulated</option>
        </select>
      </label>
      <FilterActions clearHref="/registrations" filtered={filtered} />
    </form>
  );
}
