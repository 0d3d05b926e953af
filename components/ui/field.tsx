type FieldProps = { id: string; label: string; errors?: string[]; hint?: string };

const CONTROL =
  "block w-full rounded-md border-0 bg-white px-3 py-2 shadow-sm ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-400 focus:ring-2 focus:ring-indigo-500 aria-invalid:ring-red-500 dark:bg-zinc-950 dark:ring-zinc-700";

/** Label, hint and announced errors around one control, tied to it with aria-describedby. */
function FieldFrame({
  id,
  label,
  errors,
  hint,
  children,
}: FieldProps & { children: (aria: AriaProps) => React.ReactNode }) {
  const describedBy =
    [hint && `${id}-hint`, errors?.length && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children({ id, "aria-invalid": errors?.length ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
      <div id={`${id}-error`} aria-live="polite">
        {errors?.map((e) => (
          <p key={e} className="text-sm text-red-600 dark:text-red-400">
            {e}
          </p>
        ))}
      </div>
    </div>
  );
}

type AriaProps = { id: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined };

export function Field({
  id,
  label,
  errors,
  hint,
  ...input
}: React.InputHTMLAttributes<HTMLInputElement> & FieldProps) {
  return (
    <FieldFrame id={id} label={label} errors={errors} hint={hint}>
      {(aria) => <input {...aria} className={`${CONTROL} text-sm`} {...input} />}
    </FieldFrame>
  );
}

export function TextareaField({
  id,
  label,
  errors,
  hint,
  ...textarea
}: React.TextareaHTMLAttributes<HTMLTextAreaElement> & FieldProps) {
  return (
    <FieldFrame id={id} label={label} errors={errors} hint={hint}>
      {(aria) => <textarea {...aria} className={`${CONTROL} font-mono text-xs`} {...textarea} />}
    </FieldFrame>
  );
}

export function SelectField({
  id,
  label,
  errors,
  hint,
  children,
  ...select
}: React.SelectHTMLAttributes<HTMLSelectElement> & FieldProps) {
  return (
    <FieldFrame id={id} label={label} errors={errors} hint={hint}>
      {(aria) => (
        <select {...aria} className={`${CONTROL} text-sm`} {...select}>
          {children}
        </select>
      )}
    </FieldFrame>
  );
}
