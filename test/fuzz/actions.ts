import { defectiveBody, unstorable, type AdminContext, type FormName } from "./admin";
import { hostileString, hostileValue, withInvalidUtf8, type Rng } from "./random";
import { hostileStatement } from "./statements";

/**
 * Arguments for the dashboard's server actions, as React would send them: a form's FormData (with a defect
 * that survives being sent as text: a value of the wrong type becomes a file) or an id of any type.
 */
export type ActionCall = {
  action: string;
  args: unknown[];
  label: string;
  /** Who calls: the admin, the representative acting for acme, a copy of that session, or a forged session cookie. */
  session: "admin" | "rep" | "rep-copy" | "forged-session";
  /** Where the action may send the caller (sign-out and stop-acting end somewhere by design). */
  redirects?: RegExp;
};

/** Actions that store nothing: they may report success (a statement a trusted issuer signed does verify). */
export const READ_ONLY_ACTIONS = ["inspectStatementAction", "findPastedStatementAction", "findAction"];

const EMPTY_FILE = () =>
  new File([new Uint8Array([0xff, 0x00])], "x.bin", { type: "application/octet-stream" });

/**
 * FormData for a body: strings stay strings, a list of strings is one value per line (`lists`) or repeated
 * (`multi`); anything else (a number, null, an object, an empty list) is a file, which no field accepts.
 */
function toForm(fields: Record<string, unknown>, lists: string[] = [], multi: string[] = []): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    const strings = Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string");
    // A multi-valued field given one string is one valid choice on a form: send it as the wrong type instead.
    if (typeof value === "string" && !multi.includes(name)) form.append(name, value);
    else if (strings && lists.includes(name)) form.append(name, value.join("\n"));
    else if (strings && multi.includes(name)) for (const v of value) form.append(name, v);
    else form.append(name, EMPTY_FILE());
  }
  return form;
}

const form = (
  rng: Rng,
  name: FormName,
  rename: (fields: Record<string, unknown>) => Record<string, unknown> = (f) => f,
  lists: string[] = [],
  multi: string[] = [],
) => {
  const { fields, defect } = defectiveBody(rng, name);
  const data = toForm(rename(fields), lists, multi);
  // A repeated field: the action must read one value, or refuse.
  if (rng.chance(0.1)) data.append(Object.keys(fields)[0] ?? "x", hostileString(rng));
  return { data, defect };
};

const hostileId = (rng: Rng) =>
  rng.pick<() => unknown>([
    () => hostileValue(rng),
    () => hostileString(rng),
    () => "nope",
    () => ({ id: "x" }),
    () => [1, 2],
  ])();

export function actionCall(rng: Rng, ctx: AdminContext): ActionCall {
  const call = (
    action: string,
    args: unknown[],
    label: string,
    session: ActionCall["session"] = "admin",
  ): ActionCall => ({ action, args, label, session });
  return rng.weighted<() => ActionCall>([
    [
      3,
      () => {
        const f = form(rng, "application", (x) => x, ["domains", "scopes"], ["platforms"]);
        return call("createApplicationAction", [{}, f.data], f.defect);
      },
    ],
    [
      3,
      () => {
        const f = form(rng, "issuer", ({ jwks, ...rest }) => ({
          ...rest,
          kind: "jwks",
          keys:
            typeof jwks === "object" && jwks !== null && !Array.isArray(jwks) ? JSON.stringify(jwks) : jwks,
        }));
        return call("addIssuerAction", [{}, f.data], f.defect);
      },
    ],
    [
      2,
      () =>
        call(
          "addIssuerAction",
          [
            {},
            toForm({
              iss: "https://fuzz-pem.example",
              kind: "pem",
              keys: rng.pick([
                "",
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
                hostileString(rng),
              ]),
            }),
          ],
          "pem",
        ),
    ],
    [2, () => (({ data, defect }) => call("addMemberAction", [{}, data], defect))(form(rng, "member"))],
    [2, () => (({ data, defect }) => call("createTokenAction", [{}, data], defect))(form(rng, "token"))],
    [
      2,
      () =>
        (({ data, defect }) => call("updateOrganizationAction", [{}, data], defect))(form(rng, "settings")),
    ],
    [
      2,
      () => {
        const f = form(rng, "organization", ({ admin, ...rest }) => {
          if (admin && typeof admin === "object" && !Array.isArray(admin)) {
            const a = admin as Record<string, unknown>;
            return {
              ...rest,
              ...(a.email !== undefined && { adminEmail: a.email }),
              ...(a.name !== undefined && { adminName: a.name }),
            };
          }
          return admin === undefined ? rest : { ...rest, adminEmail: admin };
        });
        return call("createOrganizationAction", [{}, f.data], f.defect, "rep");
      },
    ],
    [
      3,
      () => {
        const s = unstorable(rng, ctx.keys);
        const fields: Record<string, unknown> = { software_statement: rng.chance(0.9) ? s.jwt : 1 };
        if (rng.chance(0.3))
          fields.applicationId = rng.pick<unknown>([ctx.applicationId, "x".repeat(65), hostileString(rng)]);
        return call("uploadStatementAction", [{}, toForm(fields)], `upload:${s.kind}`);
      },
    ],
    [
      3,
      () =>
        rng.chance(0.7)
          ? (({ data, defect }) => call("revokeStatementAction", [ctx.statementId, {}, data], defect))(
              form(rng, "revoke"),
            )
          : call(
              "revokeStatementAction",
              [hostileId(rng), {}, toForm({ reason: "a fine reason" })],
              "unknown-statement",
            ),
    ],
    [
      1,
      () =>
        rng.chance(0.7)
          ? (({ data, defect }) => call("moveStatementAction", [ctx.statementId, {}, data], defect))(
              form(rng, "move"),
            )
          : call("moveTargetsAction", [rng.pick(["nope", "__proto__", "", "a".repeat(300)])], "unknown-org"),
    ],
    [
      2,
      () =>
        rng.chance(0.5)
          ? call(
              "changeRoleAction",
              [ctx.viewerUserId, {}, toForm({ role: rng.pick(["OWNER", "admin", "", "REP", "VIEWER "]) })],
              "invalid-role",
            )
          : call("changeRoleAction", [hostileId(rng), {}, toForm({ role: "ADMIN" })], "unknown-user"),
    ],
    [
      2,
      () => {
        const f = form(rng, "webhook", (x) => x, [], ["events"]);
        return call("createWebhookAction", [{}, f.data], f.defect);
      },
    ],
    [1, () => call("deleteWebhookAction", [hostileId(rng)], "unknown-webhook")],
    [1, () => call("sendTestWebhookAction", [hostileId(rng)], "unknown-webhook")],
    [1, () => call("rotateWebhookSecretAction", [hostileId(rng)], "unknown-webhook")],
    [
      1,
      () =>
        call(
          "setWebhookEnabledAction",
          rng.chance(0.5) ? [hostileId(rng), rng.chance(0.5)] : [hostileId(rng), hostileValue(rng)],
          "unknown-webhook",
        ),
    ],
    [1, () => call("retryDeliveryAction", [hostileId(rng), hostileId(rng)], "unknown-delivery")],
    [1, () => call("disableMemberAction", [hostileId(rng), {}], "unknown-user")],
    [1, () => call("removeIssuerAction", [hostileId(rng)], "unknown-issuer")],
    [1, () => call("revokeTokenAction", [hostileId(rng)], "unknown-token")],
    [2, () => call("getSoftwareStatementAction", [hostileId(rng)], "unknown-application")],
    [1, () => call("downloadStatementAction", [hostileId(rng)], "unknown-statement")],
    [
      2,
      () =>
        call(
          "startRunAction",
          [
            rng.pick<unknown>([
              {
                statementId: ctx.statementId,
                scenario: rng.pick(["", "WALKTHROUGH", "__proto__", "constructor"]),
              },
              {
                statementId: ctx.statementId,
                scenario: "walkthrough",
                tokenLifetimeSeconds: rng.pick<unknown>([1, 9, 3601, -5, "x", 1e308]),
              },
              { statementId: hostileId(rng), scenario: "walkthrough" },
              hostileValue(rng),
            ]),
          ],
          "invalid-run",
        ),
    ],
    [
      2,
      () =>
        call(
          "inspectStatementAction",
          [rng.chance(0.8) ? hostileStatement(rng, ctx.keys).jwt : hostileValue(rng)],
          "inspect",
        ),
    ],
    [
      1,
      () =>
        call(
          "findPastedStatementAction",
          [rng.chance(0.8) ? hostileStatement(rng, ctx.keys).jwt : hostileValue(rng)],
          "find-pasted",
        ),
    ],
    [
      1,
      () =>
        call(
          "findAction",
          [
            {},
            toForm({
              q: rng.pick<unknown>([
                hostileString(rng),
                hostileStatement(rng, ctx.keys).jwt,
                "x".repeat(17_000),
                "",
                ["a", "b"],
                null,
              ]),
            }),
          ],
          "find",
        ),
    ],
    [
      1,
      () =>
        call(
          "selectOrganizationAction",
          [rng.pick<unknown>(["nope", "__proto__", "constructor", "ACME", "🙂", 1, null, { slug: "acme" }])],
          "unknown-org",
        ),
    ],
    [
      1,
      () => ({
        ...call("signOutAction", rng.chance(0.5) ? [] : [hostileValue(rng)], "sign-out", "forged-session"),
        redirects: /^\/login(\?|$)/,
      }),
    ],
    [
      1,
      () => ({
        ...call("stopActingAction", rng.chance(0.5) ? [] : [hostileValue(rng)], "stop-acting", "rep-copy"),
        redirects: /^\/$/,
      }),
    ],
    [
      1,
      () =>
        call(
          "signInAction",
          [
            {},
            toForm({
              email: rng.pick(["not-an-email", "", "a@", `${"a".repeat(260)}@b.test`]),
              password: hostileString(rng) || "p",
            }),
          ],
          "invalid-email",
        ),
    ],
  ])();
}

/** Actions that take arguments: a crafted body aimed at one of them must be refused before it does anything. */
const ACTIONS_WITH_ARGUMENTS = [
  "createApplicationAction",
  "getSoftwareStatementAction",
  "addIssuerAction",
  "removeIssuerAction",
  "updateOrganizationAction",
  "addMemberAction",
  "changeRoleAction",
  "disableMemberAction",
  "createOrganizationAction",
  "createTokenAction",
  "revokeTokenAction",
  "createWebhookAction",
  "deleteWebhookAction",
  "sendTestWebhookAction",
  "setWebhookEnabledAction",
  "rotateWebhookSecretAction",
  "retryDeliveryAction",
  "uploadStatementAction",
  "revokeStatementAction",
  "moveStatementAction",
  "moveTargetsAction",
  "downloadStatementAction",
  "inspectStatementAction",
  "startRunAction",
  "findPastedStatementAction",
  "findAction",
  "selectOrganizationAction",
  "changePasswordAction",
  "endSessionAction",
  "signInAction",
];

export type RawActionCall = {
  action: string;
  body: string | Uint8Array<ArrayBuffer>;
  contentType?: string;
  label: string;
};

const TEXT = "text/plain;charset=UTF-8";
/** References React's reply format resolves against other parts of the body, which a crafted body lacks. */
const REFERENCES = [
  "$1",
  "$h1",
  "$T1",
  "$Q1",
  "$W1",
  "$K1",
  "$B1",
  "$@1",
  "$F1",
  "$n",
  "$D",
  "$Dnope",
  "$S",
  "$",
  "$Z",
  "$i1",
  "$l1",
  "$R1",
  "$r1",
  "$AT1",
];

/** A request body React sends for no call: not JSON, broken multipart, dangling references, the wrong types. */
export function rawActionCall(rng: Rng): RawActionCall {
  const action = rng.pick(ACTIONS_WITH_ARGUMENTS);
  const boundary = `----fuzz${rng.text(8)}`;
  const part = (name: string, value: string | Buffer, extra = "") =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n\r\n`),
      Buffer.from(value),
      Buffer.from("\r\n"),
    ]);
  const multipart = (...parts: Buffer[]) =>
    new Uint8Array(Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]));
  const reference = () => rng.pick(REFERENCES);
  const call = (
    label: string,
    body: string | Uint8Array<ArrayBuffer>,
    contentType: string | undefined = TEXT,
  ) => ({
    action,
    body,
    contentType,
    label: `raw/${action}/${label}`,
  });
  return rng.weighted<() => RawActionCall>([
    [3, () => call("not-json", rng.pick(["garbage{", "", "[", "]", "'a'", "[1,]", hostileString(rng)]))],
    [3, () => call("reference", JSON.stringify(Array.from({ length: rng.between(1, 3) }, reference)))],
    [
      3,
      () =>
        call(
          "wrong-types",
          JSON.stringify(Array.from({ length: rng.between(0, 4) }, () => hostileValue(rng))),
        ),
    ],
    [
      1,
      () => call("not-an-array", JSON.stringify(rng.pick<unknown>([null, 1, "x", {}, { length: 2 }, true]))),
    ],
    [1, () => call("deep", `[${"[".repeat(20_000)}${"]".repeat(20_000)}]`)],
    [1, () => call("invalid-utf8", new Uint8Array(withInvalidUtf8(rng, '["a","b"]')))],
    [1, () => call("huge", `["${"x".repeat(rng.pick([1_100_000, 2_000_000]))}"]`)],
    [
      3,
      () =>
        call(
          "multipart-name",
          multipart(
            part(rng.pick(["a\0b", "0\0", "1_na\0me", "\r", "\u202e0"]), '["$K1"]'),
            part("1_name", "x"),
          ),
          `multipart/form-data; boundary=${boundary}`,
        ),
    ],
    [
      2,
      () =>
        call(
          "multipart-cut",
          multipart(part("0", '["$K1"]')).slice(0, -rng.between(3, 30)),
          `multipart/form-data; boundary=${boundary}`,
        ),
    ],
    [
      2,
      () =>
        call(
          "multipart-no-boundary",
          multipart(part("0", "[]")),
          rng.pick([
            "multipart/form-data",
            "multipart/form-data; boundary=",
            'multipart/form-data; boundary="x',
          ]),
        ),
    ],
    [
      3,
      () =>
        call(
          "multipart-rows",
          multipart(
            part(
              "0",
              rng.pick([JSON.stringify([{}, reference()]), "garbage", JSON.stringify(hostileValue(rng))]),
            ),
            ...(rng.chance(0.5) ? [part("0", "[]")] : []),
            ...(rng.chance(0.5) ? [part("1", Buffer.from([0xff, 0xfe, 0x00]), '; filename="x.bin"')] : []),
            ...(rng.chance(0.5) ? [part("1_name", hostileString(rng).toWellFormed())] : []),
          ),
          `multipart/form-data; boundary=${boundary}`,
        ),
    ],
    [1, () => call("no-content-type", JSON.stringify([{}, "$K1"]), undefined)],
    [
      1,
      () =>
        call(
          "charset",
          JSON.stringify([{}, "$K1"]),
          rng.pick(["text/plain;charset=UTF-16", "application/json", "text/x-component"]),
        ),
    ],
  ])();
}
