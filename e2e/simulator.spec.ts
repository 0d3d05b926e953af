import { execFileSync } from "node:child_process";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { ACCOUNTS, signInAndWait } from "./helpers";

/**
 * The simulator sends real requests from the browser to this server's endpoints, which are throttled per
 * address (10 at once, then 1/s, with the default settings this server runs with). Every test here is one
 * browser on the same address, so each keeps to a handful of calls and the bucket refills in between.
 */
const API = "/api/admin/v1/orgs/acme";
type Statement = { id: string; applicationName: string; status: "active" | "revoked" };

const timeline = (page: Page) => page.getByRole("list", { name: "Timeline" });
const steps = (page: Page) => timeline(page).getByRole("article");
const statuses = (page: Page) => timeline(page).getByTestId("http-status");

async function activeStatement(page: Page, applicationName: string): Promise<Statement> {
  const res = await page.request.get(`${API}/statements?status=active&limit=200`);
  const found = ((await res.json()) as { items: Statement[] }).items.find(
    (s) => s.applicationName === applicationName,
  );
  expect(found, `the seed has an active statement for ${applicationName}`).toBeTruthy();
  return found!;
}

/** Clicks a walkthrough button and returns the step it added, once it shows the expected status. */
async function runStep(page: Page, button: string, status: string): Promise<Locator> {
  const before = await steps(page).count();
  await page.getByRole("button", { name: button, exact: true }).click();
  await expect(steps(page)).toHaveCount(before + 1);
  const step = steps(page).nth(before);
  await expect(step.getByTestId("http-status")).toHaveText(status);
  return step;
}

/** The step's "Copy as curl" command, as the page shows it when asked (and as it put it on the clipboard). */
async function curlOf(page: Page, step: Locator): Promise<string> {
  await step.getByRole("button", { name: "Copy as curl" }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  await step.getByRole("button", { name: "Show curl" }).click();
  const command = await step.getByRole("textbox", { name: /^curl command for/ }).inputValue();
  expect(copied).toBe(command);
  return command;
}

/** Runs a curl command as a shell would; returns the status line's code and the JSON body. */
function runCurl(command: string): { status: number; body: Record<string, unknown> } {
  const output = execFileSync("bash", ["-c", command], { encoding: "utf8", timeout: 15_000 });
  const [head, ...rest] = output.split(/\r?\n\r?\n/);
  return { status: Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head!)?.[1]), body: JSON.parse(rest.join("\n\n")) };
}

test.describe("as an organization admin", () => {
  test.use({ permissions: ["clipboard-read", "clipboard-write"] });
  test.beforeEach(async ({ page }) => signInAndWait(page, ACCOUNTS.admin));

  test("walks through register, token, API and refresh; each step's curl works; the client is simulated", async ({
    page,
  }) => {
    const statement = await activeStatement(page, "Acme TV for tvOS");
    await page.goto(`/simulator?statement=${statement.id}`);
    await expect(page.getByRole("heading", { name: "Simulator", level: 1 })).toBeVisible();
    await expect(page.getByLabel("Statement", { exact: true })).toHaveValue(statement.id);
    await page.getByLabel("Device profile").selectOption({ label: "Roku Ultra" });
    await expect(page.getByLabel("Device facts (JSON)")).toHaveValue(/"manufacturer": "Roku"/);

    const register = await runStep(page, "Register", "201 Created");
    const clientId = (await register.getByTestId("registered-client-id").textContent())!;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(page.getByTestId("device-client-id")).toHaveText(clientId);
    // The secret is masked until revealed.
    const secret = await page.evaluate(
      (id) =>
        Object.keys(localStorage)
          .filter((key) => key.startsWith("simulator:"))
          .map((key) => JSON.parse(localStorage.getItem(key)!) as { clientId: string; clientSecret: string })
          .find((device) => device.clientId === id)?.clientSecret,
      clientId,
    );
    expect(secret, "the device stored its credentials").toBeTruthy();
    await expect(register).not.toContainText(secret!);
    await register.getByRole("button", { name: "Reveal secrets" }).click();
    await expect(register).toContainText(secret!);
    await register.getByText("Request and response (headers and bodies)").click();
    await expect(register.getByLabel("Request headers")).toContainText("X-Device-Info: ");
    await expect(register.getByLabel("Response headers")).toContainText("cache-control: no-store");

    const token = await runStep(page, "Get token", "201 Created");
    await expect(token.getByRole("timer")).toHaveText(/^Expires in /);
    await expect(token.getByLabel("Get token: access token claims")).toContainText(`"sub": "${clientId}"`);

    const api = await runStep(page, "Call the API", "200 OK");
    await expect(api.getByLabel("Call the API: API answer")).toContainText(`"clientId": "${clientId}"`);

    const refresh = await runStep(page, "Refresh", "201 Created");
    await expect(refresh).toContainText("Registering again instead would make a new client");
    await expect(page.getByTestId("device-client-id")).toHaveText(clientId);

    // Copy as curl: the token call and the (ticketed) registration both work from a shell.
    const tokenRun = runCurl(await curlOf(page, token));
    expect(tokenRun.status).toBe(201);
    expect(tokenRun.body).toMatchObject({ token_type: "bearer", expires_in: expect.any(Number) });
    const registerRun = runCurl(await curlOf(page, register));
    expect(registerRun.status).toBe(201);
    const curlClientId = String(registerRun.body.client_id);
    expect(curlClientId).not.toBe(clientId);

    // Both registrations are marked simulated.
    await page.goto("/registrations?simulated=only");
    for (const id of [clientId, curlClientId])
      await expect(page.getByRole("link", { name: id })).toBeVisible();
    await page.goto(`/registrations/${clientId}`);
    await expect(page.getByRole("definition").getByText("Simulated", { exact: true })).toBeVisible();
    await expect(page.getByText("Roku", { exact: true }).first()).toBeVisible();
  });

  test("token expiry: a 20 s token expires, the API answers 401, a refresh fixes it", async ({ page }) => {
    test.setTimeout(90_000);
    const statement = await activeStatement(page, "Acme TV for tvOS");
    await page.goto(`/simulator?statement=${statement.id}`);
    await page.getByRole("button", { name: "Token expiry" }).click();
    await expect(statuses(page)).toHaveText(["201 Created", "201 Created", "200 OK"]);
    const token = steps(page).nth(1);
    const claims = JSON.parse((await token.getByLabel("Get token: access token claims").textContent())!);
    expect(claims.exp - claims.iat).toBe(20);
    await expect(timeline(page).getByText("Waiting for the token to expire")).toBeVisible();
    await expect(token.getByRole("timer")).toHaveText("Expired", { timeout: 30_000 });

    await expect(timeline(page).getByText("Recovered")).toBeVisible({ timeout: 30_000 });
    await expect(statuses(page)).toHaveText([
      "201 Created",
      "201 Created",
      "200 OK",
      "401 Unauthorized",
      "201 Created",
      "200 OK",
    ]);
    await expect(steps(page).nth(3)).toContainText("invalid_access_token_client_application");
    await expect(steps(page).nth(3)).toContainText("expired");
  });

  test("lost credentials: the app registers again and gets a new client_id", async ({ page }) => {
    const statement = await activeStatement(page, "Acme TV for tvOS");
    await page.goto(`/simulator?statement=${statement.id}`);
    await page.getByRole("button", { name: "Lost credentials" }).click();
    await expect(timeline(page).getByText("A new client_id: the earlier profile is gone")).toBeVisible();
    await expect(statuses(page)).toHaveText([
      "201 Created",
      "201 Created",
      "201 Created",
      "201 Created",
      "200 OK",
    ]);
    const [first, second] = await timeline(page).getByTestId("registered-client-id").allTextContents();
    expect(first).toBeTruthy();
    expect(second).not.toBe(first);
    await expect(timeline(page)).toContainText(`New client_id ${second}, was ${first}.`);
    await expect(timeline(page)).toContainText("they must sign in again");
    await expect(page.getByTestId("device-client-id")).toHaveText(second!);

    await page.goto("/audit");
    await expect(page.getByRole("cell", { name: "simulation.run" }).first()).toBeVisible();
  });

  test("revoked statement: register, token and API each fail, and users are blocked", async ({ page }) => {
    const origin = new URL(page.url()).origin;
    const app = await page.request.post(`${API}/applications`, {
      headers: { Origin: origin },
      data: { name: `E2E Simulated ${Date.now()}`, platforms: ["tvOS"], domains: ["sim.example.test"] },
    });
    expect(app.status()).toBe(201);
    const appId = ((await app.json()) as { id: string }).id;
    const issued = await page.request.post(`${API}/applications/${appId}/statements`, {
      headers: { Origin: origin },
    });
    expect(issued.status()).toBe(201);
    const statementId = ((await issued.json()) as { id: string }).id;

    // A device registers and gets a token while the statement is active, and keeps them.
    await page.goto(`/simulator?statement=${statementId}`);
    await expect(page.getByRole("button", { name: "Revoked statement" })).toBeDisabled();
    const register = await runStep(page, "Register", "201 Created");
    const clientId = (await register.getByTestId("registered-client-id").textContent())!;
    await runStep(page, "Get token", "201 Created");

    await page.goto(`/statements/${statementId}`);
    await page.getByRole("button", { name: "Revoke…" }).click();
    await page
      .getByRole("dialog")
      .getByLabel(/Reason/)
      .fill("Simulating a leaked build");
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /Revoke and cut off/ })
      .click();
    await expect(page.getByText("Reason: Simulating a leaked build")).toBeVisible();

    await page.goto(`/simulator?statement=${statementId}`);
    await expect(page.getByText("Revoked statement.", { exact: true })).toBeVisible();
    await expect(page.getByTestId("device-client-id")).toHaveText(clientId);
    await expect(page.getByRole("button", { name: "Lost credentials" })).toBeDisabled();
    await page.getByRole("button", { name: "Revoked statement" }).click();
    await expect(timeline(page).getByText("Users are blocked from playback")).toBeVisible();
    await expect(statuses(page)).toHaveText(["400 Bad Request", "400 Bad Request", "401 Unauthorized"]);
    await expect(steps(page).nth(0)).toContainText("unapproved_software_statement");
    await expect(steps(page).nth(1)).toContainText("invalid_client");
    await expect(steps(page).nth(2)).toContainText("invalid_access_token_client_application");
    await expect(timeline(page)).toContainText("its users cannot play anything");
  });

  test("a throttled call shows its 429 and when to retry", async ({ page }) => {
    const statement = await activeStatement(page, "Acme TV for tvOS");
    await page.goto(`/simulator?statement=${statement.id}`);
    await runStep(page, "Register", "201 Created");
    // Spend this browser's burst, as an app that retries in a loop would, then ask for a token at once. The
    // bucket refills 1/s, so a slow click could still get through: then spend it again.
    await expect(async () => {
      await page.evaluate(async () => {
        for (let i = 0; i < 12; i++) await fetch("/o/client/token", { method: "POST", credentials: "omit" });
      });
      const before = await steps(page).count();
      await page.getByRole("button", { name: "Get token", exact: true }).click();
      await expect(steps(page)).toHaveCount(before + 1);
      await expect(steps(page).last().getByTestId("http-status")).toHaveText("429 Too Many Requests", {
        timeout: 2_000,
      });
    }).toPass({ timeout: 20_000 });
    await expect(steps(page).last().getByRole("alert")).toContainText(/Throttled: retry in \d+ s\./);
  });
});

test("a viewer can watch but not run anything that registers", async ({ page }) => {
  await signInAndWait(page, ACCOUNTS.viewer);
  await page.goto("/simulator");
  await expect(page.getByText("Viewers can watch but not run the simulator.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Register", exact: true })).toBeDisabled();
  for (const scenario of ["Lost credentials", "Token expiry", "Revoked statement"])
    await expect(page.getByRole("button", { name: scenario })).toBeDisabled();
});
