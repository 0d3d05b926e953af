/** Why a statement was not accepted: each has its own code and a message a person can act on. */
export type StatementFailure =
  | "too_large"
  | "malformed"
  | "non_canonical"
  | "unsupported_algorithm"
  | "missing_claims"
  | "invalid_date"
  | "untrusted_issuer"
  | "unknown_key"
  | "bad_signature"
  | "expired"
  | "not_yet_valid";

export class StatementVerificationError extends Error {
  constructor(
    readonly code: StatementFailure,
    message: string,
    readonly issuer?: string,
  ) {
    super(message);
    this.name = "StatementVerificationError";
  }
}
