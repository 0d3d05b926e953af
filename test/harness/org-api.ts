import { randomUUID } from "node:crypto";
import { HttpSession } from "./http";

/** Acme's admin and viewer, and globex's admin (who must find nothing of acme's), signed in. */
export async function acmeCallers() {
  return {
    admin: await HttpSession.signedIn("admin@acme.test"),
    viewer: await HttpSession.signedIn("viewer@acme.test"),
    otherAdmin: await HttpSession.signedIn("admin@globex.test"),
  };
}

/** An admin API mutation of `org`'s (acme unless told): its status and parsed body. */
export const orgPost = <T = Record<string, unknown>>(
  session: HttpSession,
  path: string,
  body: unknown,
  org = "acme",
) => session.postJson<T>(`/api/admin/v1/orgs/${org}${path}`, body);

/** A new tvOS application of acme's, named `prefix` and a random suffix; its id. */
export async function freshApplication(admin: HttpSession, prefix: string): Promise<string> {
  const app = await orgPost<{ id: string }>(admin, "/applications", {
    name: `${prefix} ${randomUUID().slice(0, 6)}`,
    platforms: ["tvOS"],
    domains: ["tv.example.test"],
  });
  if (app.status !== 201) throw new Error(`Creating an application answered ${app.status}.`);
  return app.body.id;
}
