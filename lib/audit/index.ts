export { withAudit } from "./record";
export type { Audit, AuditActor, AuditContext, AuditEntry, RequestMeta } from "./record";
export { verifyAuditChain } from "./verify";
export type { ChainVerification, ChainBreak } from "./verify";
