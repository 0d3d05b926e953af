"use server";

import { requireCurrentScope } from "@/lib/auth/caller";
import { verifyOrganizationAudit } from "@/lib/audit/query";
import type { ChainVerification } from "@/lib/audit/verify";
import { AppError } from "@/lib/errors";
import { serverAction } from "@/lib/server-action";

export type VerifyState = { result?: ChainVerification; error?: string; code?: string };

/** A read: viewers may verify too. */
export const verifyIntegrityAction = serverAction([], async (): Promise<VerifyState> => {
  try {
    return { result: await verifyOrganizationAudit(await requireCurrentScope()) };
  } catch (error) {
    if (error instanceof AppError) return { error: error.message, code: error.code };
    throw error;
  }
});
