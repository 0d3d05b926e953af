/**
 * What the simulated device keeps between runs, per organization and statement: its credentials and its
 * last token (FAQ rule 3: an installed app stores its credentials). In this browser's localStorage, as a
 * real app keeps them on the device; this is what lets the revoked-statement scenario replay them.
 */
export type StoredToken = { accessToken: string; expiresAt: number };
export type DeviceState = {
  clientId: string;
  clientSecret: string;
  registeredAt: number;
  token: StoredToken | null;
};

const key = (org: string, statementId: string) => `simulator:v1:${org}:${statementId}`;

export function loadDevice(org: string, statementId: string): DeviceState | null {
  try {
    const raw = window.localStorage.getItem(key(org, statementId));
    const value = raw ? (JSON.parse(raw) as Partial<DeviceState>) : null;
    if (typeof value?.clientId !== "string" || typeof value.clientSecret !== "string") return null;
    return {
      clientId: value.clientId,
      clientSecret: value.clientSecret,
      registeredAt: Number(value.registeredAt) || 0,
      token: value.token?.accessToken ? value.token : null,
    };
  } catch {
    return null;
  }
}

export function saveDevice(org: string, statementId: string, device: DeviceState | null) {
  try {
    if (device) window.localStorage.setItem(key(org, statementId), JSON.stringify(device));
    else window.localStorage.removeItem(key(org, statementId));
  } catch {
    // Storage full or disabled: the run still works, it just won't be remembered.
  }
}
