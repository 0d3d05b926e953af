"use server";

import { requireCurrentScope } from "@/lib/auth/caller";
import { verifyOrganizationAudit } from "@/lib/audit/query";
import type { ChainVerification } from "@/lib/audit/verify";
import { AppError } from "@/lib/errors";
import { actionArguments } from "@/lib/server-action";

export type VerifyState = { result?: ChainVerification; error?: string; code?: string };

/** A read: viewers may verify too. */
export async function verifyIntegrityAction(): Promise<VerifyState> {
  actionArguments([], []);
  try {
    return { result: await verifyOrganizationAudit(await requireCurrentScope()) };
  } catch (error) {
    if (error instanceof AppError) return { error: error.message, code: error.code };
    throw error;
  }
}
