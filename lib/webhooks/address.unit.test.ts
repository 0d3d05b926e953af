import { describe, expect, it } from "vitest";
import {
  DestinationRefused,
  nonPublicKind,
  parseAllowList,
  resolveTarget,
  webhookUrlProblem,
} from "./address";

const none = parseAllowList("");
const answers =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("webhook destinations", () => {
  it("refuses every kind of private, local or reserved address, IPv4-mapped ones included", () => {
    const refused = [
      "127.0.0.1",
      "127.255.0.9",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fe80::1",
      "fd00::1",
      "fc12::3",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:10.0.0.1",
      "::ffff:a9fe:a9fe",
      "64:ff9b::a00:1",
      "2002:7f00:1::",
    ];
    for (const address of refused) expect(nonPublicKind(address), address).not.toBeNull();
    expect(nonPublicKind("::ffff:169.254.169.254")).toBe("a link-local");
    for (const address of ["93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
      expect(nonPublicKind(address), address).toBeNull();
  });

  it("takes https URLs only, without credentials or fragments, and bounded", () => {
    expect(webhookUrlProblem("https://hooks.example.com/x?y=1")).toBeNull();
    expect(webhookUrlProblem("http://hooks.example.com/")).toMatch(/https/);
    expect(webhookUrlProblem("ftp://hooks.example.com/")).toMatch(/https/);
    expect(webhookUrlProblem("https://user:pw@hooks.example.com/")).toMatch(/passwords/);
    expect(webhookUrlProblem("https://hooks.example.com/#x")).toMatch(/fragment/);
    expect(webhookUrlProblem("hooks.example.com")).toMatch(/full URL/);
    expect(webhookUrlProblem(`https://a.example/${"x".repeat(2048)}`)).toMatch(/2048/);
  });

  it("refuses a name if any of its addresses is private (a rebinding answer cannot hide behind a public one)", async () => {
    const url = new URL("https://hooks.example.com/");
    await expect(resolveTarget(url, none, answers("93.184.215.14"))).resolves.toEqual({
      address: "93.184.215.14",
      family: 4,
    });
    await expect(resolveTarget(url, none, answers("93.184.215.14", "10.0.0.5"))).rejects.toThrow(
      /resolves to 10\.0\.0\.5, which is a private/,
    );
    await expect(resolveTarget(url, none, answers())).rejects.toBeInstanceOf(DestinationRefused);
    // Literal addresses, in every spelling the URL parser accepts, are checked without DNS.
    const never = () => Promise.reject(new Error("no DNS for literals"));
    for (const literal of [
      "https://127.0.0.1/",
      "https://2130706433/",
      "https://[::1]/",
      "https://[::ffff:7f00:1]/",
    ])
      await expect(resolveTarget(new URL(literal), none, never), literal).rejects.toBeInstanceOf(
        DestinationRefused,
      );
  });

  it("lets WEBHOOK_ALLOWED_HOSTS allow hosts by name, address or CIDR range", async () => {
    const allow = parseAllowList(" receiver.internal , 127.0.0.1, 10.0.0.0/8, [::1] ");
    await expect(
      resolveTarget(new URL("https://receiver.internal/"), allow, answers("192.168.9.9")),
    ).resolves.toMatchObject({ address: "192.168.9.9" });
    await expect(resolveTarget(new URL("https://127.0.0.1:8443/"), allow)).resolves.toMatchObject({
      address: "127.0.0.1",
    });
    await expect(resolveTarget(new URL("https://[::1]/"), allow)).resolves.toMatchObject({ family: 6 });
    await expect(
      resolveTarget(new URL("https://x.example/"), allow, answers("10.9.8.7")),
    ).resolves.toBeDefined();
    await expect(resolveTarget(new URL("https://127.0.0.2/"), allow)).rejects.toBeInstanceOf(
      DestinationRefused,
    );
    expect(() => parseAllowList("10.0.0.0/33")).toThrow(/CIDR/);
    expect(() => parseAllowList("not a host")).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });
});
