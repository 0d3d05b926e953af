import type {
  AccessToken,
  ActivityRollup,
  Application,
  AuditEvent,
  ClientRegistration,
  ClientTally,
  DcrThrottle,
  DeviceSighting,
  Organization,
  Refusal,
  SoftwareStatement,
  StatementTally,
} from "@/lib/generated/prisma/client";

/**
 * The tables the SQL written outside Prisma reads and writes (the hot path's store, the audit appender), typed
 * from Prisma's own models: prisma/schema.prisma stays the one description of the schema.
 */
export type Tables = {
  AccessToken: AccessToken;
  ActivityRollup: ActivityRollup;
  Application: Application;
  AuditEvent: AuditEvent;
  ClientRegistration: ClientRegistration;
  ClientTally: ClientTally;
  // Milliseconds since the epoch: a BigInt column, bound as a number.
  DcrThrottle: Omit<DcrThrottle, "updatedAt"> & { updatedAt: number };
  DeviceSighting: DeviceSighting;
  Organization: Organization;
  Refusal: Refusal;
  SoftwareStatement: SoftwareStatement;
  StatementTally: StatementTally;
};
