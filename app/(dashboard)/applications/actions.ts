"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { DownloadResult } from "@/components/download-button";
import { toActionState, type ActionState } from "@/lib/action-state";
import { createApplication, setStatementUrl } from "@/lib/applications/service";
import { AppError } from "@/lib/errors";
import { generateStatement, statementFilename } from "@/lib/statements/service";
import { requireCurrentScope } from "@/lib/auth/caller";
import { formArgument, idArgument, previousState, serverAction } from "@/lib/server-action";
import { z } from "zod";

export const createApplicationAction = serverAction(
  [previousState, formArgument],
  async (_prev, form): Promise<ActionState> => {
    let id = "";
    const state = await toActionState(async () => {
      const app = await createApplication(await requireCurrentScope(), {
        name: form.get("name"),
        version: form.get("version"),
        platforms: form.getAll("platforms"),
        domains: form.get("domains"),
        channel: form.get("channel") ?? undefined,
        scopes: form.get("scopes") ?? undefined,
      });
      id = app.id;
      return "Created.";
    });
    if (id) redirect(`/applications/${id}?created=1`);
    return {
      ...state,
      values: Object.fromEntries([...form.keys()].map((k) => [k, form.getAll(k).map(String)])),
    };
  },
);

/** "Get software statement": signs a fresh statement, stores it, and hands it to the browser as a file. */
export const getSoftwareStatementAction = serverAction(
  [idArgument],
  async (applicationId): Promise<DownloadResult> => {
    try {
      const statement = await generateStatement(await requireCurrentScope(), applicationId);
      revalidatePath(`/applications/${statement.applicationId}`);
      return { filename: statementFilename(statement.createdAt), content: statement.software_statement };
    } catch (error) {
      if (error instanceof AppError) return { error: error.message, code: error.code };
      throw error;
    }
  },
);

/** Turns the application's statement URL on or off; the page re-renders with its new state. */
export const setStatementUrlAction = serverAction(
  [idArgument, z.boolean(), previousState],
  async (applicationId, enabled): Promise<ActionState> => {
    const state = await toActionState(async () => {
      await setStatementUrl(await requireCurrentScope(), applicationId, { enabled });
      return enabled ? "The statement URL is on." : "The statement URL is off.";
    });
    if (state.ok) revalidatePath(`/applications/${applicationId}`);
    return state;
  },
);
