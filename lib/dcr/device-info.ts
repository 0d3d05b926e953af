import { z } from "zod";
import { OAuthError } from "./responses";

/** The X-Device-Info header: base64 of a JSON object of device facts (docs/client-api.md §1). */
export type DeviceInfo = Record<string, string | number | boolean>;

const MAX_HEADER = 8 * 1024;
const deviceInfoSchema = z
  .record(z.string().max(64), z.union([z.string().max(512), z.number(), z.boolean()]))
  .refine((o) => Object.keys(o).length <= 64, "too many fields");

export function parseDeviceInfo(header: string | null, userAgent: string | null): DeviceInfo | null {
  if (header === null) return inferFromUserAgent(userAgent);
  const invalid = new OAuthError(
    "invalid_request",
    "X-Device-Info must be base64-encoded JSON object of device facts.",
  );
  if (header.length > MAX_HEADER || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(header.trim())) throw invalid;
  let value: unknown;
  try {
    const text = Buffer.from(header.trim(), "base64").toString("utf8");
    value = JSON.parse(text);
  } catch {
    throw invalid;
  }
  const parsed = deviceInfoSchema.safeParse(value);
  if (!parsed.success) throw invalid;
  return parsed.data;
}

const UA_RULES: [RegExp, string, string?][] = [
  [/AppleTV|tvOS/i, "tvOS", "Apple TV"],
  [/Roku/i, "Roku", "Roku"],
  [/AFT[A-Z]|Fire ?TV/i, "FireTV", "Fire TV"],
  [/Tizen/i, "Samsung Tizen"],
  [/Web0S|webOS/i, "LG webOS"],
  [/Xbox/i, "Xbox"],
  [/PlayStation/i, "PlayStation"],
  [/CrKey/i, "Chromecast"],
  [/Vizio|SmartCast/i, "Vizio"],
  [/Android/i, "Android"],
  [/iPhone|iPad|iOS/i, "iOS"],
  [/Mozilla/i, "Web"],
];

/** The facts a User-Agent gives away, when the client sent no X-Device-Info. */
function inferFromUserAgent(userAgent: string | null): DeviceInfo | null {
  if (!userAgent) return null;
  for (const [pattern, osName, model] of UA_RULES) {
    if (pattern.test(userAgent))
      return { osName, ...(model && { model }), userAgent: userAgent.slice(0, 512), inferred: true };
  }
  return { userAgent: userAgent.slice(0, 512), inferred: true };
}

const PLATFORM_NAMES: [RegExp, string][] = [
  [/tvos|apple ?tv/i, "tvOS"],
  [/ios|ipados|iphone/i, "iOS"],
  [/fire ?(tv|os)/i, "FireTV"],
  [/android/i, "Android"],
  [/roku/i, "Roku"],
  [/tizen/i, "Samsung Tizen"],
  [/webos/i, "LG webOS"],
  [/xbox/i, "Xbox"],
  [/playstation|orbis/i, "PlayStation"],
  [/chromecast|cast/i, "Chromecast"],
  [/vizio|smartcast/i, "Vizio"],
  [/web|browser|windows|mac ?os|linux/i, "Web"],
];

/** The platform column: the device's OS mapped onto the product's fixed list where it can be. */
export function platformOf(info: DeviceInfo | null): string | null {
  const os = String(info?.osName ?? info?.osFamily ?? info?.platform ?? "");
  if (!os) return null;
  return PLATFORM_NAMES.find(([re]) => re.test(os))?.[1] ?? "Other";
}
