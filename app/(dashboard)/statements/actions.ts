"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { DownloadResult } from "@/components/download-button";
import { toActionState, type ActionState } from "@/lib/action-state";
import { applicationChoices } from "@/lib/applications/service";
import { requireCurrentScope } from "@/lib/auth/caller";
import { scopeForOrg } from "@/lib/auth/scope";
import { AppError } from "@/lib/errors";
import { moveStatement, moveTargetApplications } from "@/lib/statements/move";
import { downloadStatement, replaceStatement, revokeStatement } from "@/lib/statements/service";
import { inspectStatement, uploadStatement } from "@/lib/statements/upload";
import { formArgument, idArgument, previousState, textArgument, serverAction } from "@/lib/server-action";
import { showOrganization } from "../current-org";

export const downloadStatementAction = serverAction([idArgument], async (id): Promise<DownloadResult> => {
  try {
    const { filename, jwt } = await downloadStatement(await requireCurrentScope(), id);
    return { filename, content: jwt };
  } catch (error) {
    if (error instanceof AppError) return { error: error.message, code: error.code };
    throw error;
  }
});

export const revokeStatementAction = serverAction(
  [idArgument, previousState, formArgument],
  async (id, _prev, form): Promise<ActionState> => {
    const state = await toActionState(async () => {
      await revokeStatement(await requireCurrentScope(), id, { reason: form.get("reason") });
      return "Revoked.";
    });
    if (state.ok) revalidatePath(`/statements/${id}`);
    return { ...state, values: { reason: [String(form.get("reason") ?? "")] } };
  },
);

/** Revoke-and-replace: on success, the replacement's page (to download it), saying what was replaced. */
export const replaceStatementAction = serverAction(
  [idArgument, previousState, formArgument],
  async (id, _prev, form): Promise<ActionState> => {
    let replacementId: string | undefined;
    const state = await toActionState(async () => {
      const { replacement } = await replaceStatement(await requireCurrentScope(), id, {
        reason: form.get("reason"),
      });
      replacementId = replacement.id;
      return "Replaced.";
    });
    if (replacementId) {
      revalidatePath(`/statements/${id}`);
      redirect(`/statements/${replacementId}?replaced=${encodeURIComponent(id)}`);
    }
    return { ...state, values: { reason: [String(form.get("reason") ?? "")] } };
  },
);

export type InspectResult =
  | {
      ok: true;
      header: Record<string, unknown>;
      claims: Record<string, unknown>;
      issuer: string;
      kid: string | null;
      algorithm: string;
      fingerprint: string;
      matchedApplication: { id: string; name: string } | null;
      existingStatementId: string | null;
      applications: { id: string; name: string; version: string }[];
    }
  | { ok: false; code: string; message: string };

/** Verifies a pasted or dropped statement and describes it, storing nothing. */
export const inspectStatementAction = serverAction([textArgument], async (jwt): Promise<InspectResult> => {
  try {
    const current = await requireCurrentScope();
    const preview = await inspectStatement(current, jwt);
    const { verified } = preview;
    return {
      ok: true,
      header: verified.header as Record<string, unknown>,
      claims: verified.claims as Record<string, unknown>,
      issuer: verified.issuer,
      kid: verified.kid,
      algorithm: verified.algorithm,
      fingerprint: verified.fingerprint,
      matchedApplication: preview.matchedApplication,
      existingStatementId: preview.existingStatementId,
      applications: await applicationChoices(current),
    };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
});

export const uploadStatementAction = serverAction(
  [previousState, formArgument],
  async (_prev, form): Promise<ActionState> => {
    let id = "";
    const state = await toActionState(async () => {
      const { statement } = await uploadStatement(await requireCurrentScope(), {
        software_statement: form.get("software_statement"),
        applicationId: form.get("applicationId") ?? undefined,
      });
      id = statement.id;
      return "Saved.";
    });
    if (id) redirect(`/statements/${id}?uploaded=1`);
    return state;
  },
);

export type MoveTargets =
  | { ok: true; applications: { id: string; name: string; version: string }[] }
  | { ok: false; code: string; message: string };

/** The applications of the organization a representative is about to move a statement to. */
export const moveTargetsAction = serverAction([idArgument], async (slug): Promise<MoveTargets> => {
  try {
    return { ok: true, applications: await moveTargetApplications(await requireCurrentScope(), slug) };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
});

/** Moves the statement, then shows it where it now is (the dashboard switches to that organization). */
export const moveStatementAction = serverAction(
  [idArgument, previousState, formArgument],
  async (id, _prev, form): Promise<ActionState> => {
    const fields = ["organization", "applicationId", "reason"] as const;
    const input = Object.fromEntries(fields.map((f) => [f, form.get(f)]));
    let moved = false;
    const state = await toActionState(async () => {
      const scope = await requireCurrentScope();
      await moveStatement(scope, id, input);
      await showOrganization(await scopeForOrg(scope.caller, String(input.organization)));
      moved = true;
      return "Moved.";
    });
    if (moved) redirect(`/statements/${id}?moved=1`);
    return { ...state, values: Object.fromEntries(fields.map((f) => [f, [String(input[f] ?? "")]])) };
  },
);
