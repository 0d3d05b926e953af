/**
 * The six rules of the vendor's DCR FAQ the product is built on (docs/product.md), as the console's help pages
 * show them. The simulator and the error pages link to them by number.
 */
export type FaqRule = {
  rule: number;
  /** The topic, as the sidebar of the help pages lists it. */
  topic: string;
  title: string;
  /** The rule itself, in one sentence. */
  summary: string;
  paragraphs: string[];
  /** Where the console shows or enforces it. */
  inTheConsole: string[];
};

export const FAQ_RULES: readonly FaqRule[] = [
  {
    rule: 1,
    topic: "Registration",
    title: "Registration is how a client gets credentials",
    summary:
      "A client presents a software statement, receives a client_id and client_secret, then trades those for short-lived access tokens.",
    paragraphs: [
      "An installed application registers once: it sends its software statement to the registration endpoint (POST /o/client/register, or the standard POST /oauth2/register) and receives its own client_id and client_secret.",
      "An app that still holds valid credentials and a valid access token may skip registering: it only registers when it holds no credentials at all.",
    ],
    inTheConsole: [
      "Registrations lists every client a statement produced, with its device, address and tokens.",
      "The simulator's walkthrough plays Register → Get token → Call the API with real requests.",
    ],
  },
  {
    rule: 2,
    topic: "Software statements and revocation",
    title: "A software statement belongs to one application and can be revoked",
    summary:
      "A software statement is a signed JWT made for one registered application; it has no expiry and can be revoked at any time.",
    paragraphs: [
      "The statement identifies the application (its issuer, subject and software id) and is signed by this console or by an issuer the organization trusts.",
      "Revoking it is permanent: every client that registered with it can no longer get tokens or call the protected APIs, from the very next request. Tokens minted a second before are refused too.",
    ],
    inTheConsole: [
      "A statement's page says how many registered clients a revocation cuts off before the admin confirms, and asks for a reason.",
      "The simulator's revoked-statement scenario shows a cut-off client's answers.",
    ],
  },
  {
    rule: 3,
    topic: "Client credentials",
    title: "Client credentials do not expire; the app stores them",
    summary: "Client credentials have no expiry; there is one pair per installed application instance.",
    paragraphs: [
      "Each installation registers for itself, so there are as many registrations as devices. The client_secret is in the registration response only: the server keeps nothing but a hash of it.",
      "The app keeps its client_id and client_secret in its own storage and uses them for every token request.",
    ],
    inTheConsole: [
      "The simulator keeps its device's credentials in this browser's storage, as an installed app would.",
    ],
  },
  {
    rule: 4,
    topic: "Lost credentials",
    title: "An app that lost its credentials registers again",
    summary: "An app that lost its credentials must register again, and its users must sign in again.",
    paragraphs: [
      "Reinstalled, storage cleared, or restored on a new device: without its client_id and secret an app cannot get a token, so it registers again and receives a new client.",
      "Its users' authenticated profiles belonged to the old client, so they sign in again with their provider.",
    ],
    inTheConsole: [
      "Registrations shows such re-registrations: many registrations from one device model is the sign of an app that keeps losing its credentials.",
      "The simulator's lost-credentials scenario plays it with real requests.",
    ],
  },
  {
    rule: 5,
    topic: "Token refresh",
    title: "Access tokens are short-lived; refresh with the stored credentials",
    summary:
      "Access tokens are short-lived (6 hours by default); the app refreshes by calling the token endpoint again with its stored credentials.",
    paragraphs: [
      "Before a token expires, the app calls POST /o/client/token (or POST /oauth2/token) with grant_type=client_credentials and the same client_id and client_secret: same client, new token.",
      "It must not register again to refresh: that makes a new client and loses the user's sign-in.",
    ],
    inTheConsole: [
      "An organization's token lifetime is set in Settings (5 minutes to 24 hours).",
      "The simulator's token-expiry scenario lets a 20-second token expire and refreshes it.",
    ],
  },
  {
    rule: 6,
    topic: "Who makes statements",
    title: "Statements are made by an organization admin or by support",
    summary:
      "Statements are made by an organization admin, or by a support representative acting for the organization.",
    paragraphs: [
      "Admins manage applications, statements, issuers and members; viewers read. A support representative acts for one organization at a time, on the customer's behalf, and every action is recorded as theirs.",
      "A statement is held by exactly one organization. If yours was uploaded elsewhere first, support can move it to the organization it belongs to.",
    ],
    inTheConsole: [
      "An application's page has “Get software statement”; Statements has “Upload statement”.",
      "The audit trail records who made each statement, and for whom.",
    ],
  },
];

export function faqRule(rule: number): FaqRule | undefined {
  return FAQ_RULES.find((r) => r.rule === rule);
}
