import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prismaOf } from "../../../../src/storage/prisma-access.ts";
import { startWebService, type WebService } from "../../../helpers/web-service.ts";

/** Debian's chromium (`.ci/run` installs it when missing). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const REPORT_CODE = /(?:REF|TPPO)-[A-Z0-9]{4}-[A-Z0-9]{4}/;
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The real page in a real browser against the real service (PGlite), at phone size. */
describe("web chat in a browser", { timeout: 90_000 }, () => {
  let web: WebService;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    web = await startWebService("pglite");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  async function phone(opts: { width?: number; bypassCSP?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: opts.width ?? 360, height: 720 },
      ...(opts.bypassCSP ? { bypassCSP: true } : {}),
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${web.url}/`);
    return page;
  }
  const tap = (page: Page, id: string) =>
    page.locator(`button[data-id="${id}"]:not([disabled])`).last().click();
  const type = async (page: Page, text: string) => {
    await page.fill("#text", text);
    await page.click("#send");
  };
  const logText = async (page: Page) => (await page.locator("#log").textContent()) ?? "";
  /** Runs `script` in the page (a string: the test code is type-checked without the DOM library). */
  const inPage = <T>(page: Page, script: string) => page.evaluate(script) as Promise<T>;
  const waitForLog = (page: Page, pattern: RegExp) =>
    page.locator(".msg", { hasText: pattern }).first().waitFor({ timeout: 20_000 });
  const keyOf = async (page: Page) => {
    const token = await inPage<string | null>(page, 'sessionStorage.getItem("sa.session")');
    if (!token) throw new Error("no session");
    return web.svc.inbound.keyOf("web", token);
  };

  let code = "";
  let pin = "";

  it("takes a whole report with a photo, resumes after a reload in the same tab, and shows code and PIN", async () => {
    const page = await phone();
    await page.getByRole("button", { name: "Mulai" }).click();
    await tap(page, "language:id");
    await tap(page, "menu:report");
    await page.locator('button[data-id^="report.situation:"]').first().waitFor();
    await page.reload();
    await waitForLog(page, /Melanjutkan percakapan/);
    await tap(page, "report.situation:scam_compound");
    await type(page, "Kamboja");
    await type(page, "Phnom Penh");
    await tap(page, "report.location:skip");
    await tap(page, "report.when:now");
    await tap(page, "report.people:two_five");
    await tap(page, "report.minors:no");
    await tap(page, "report.danger:yes");
    await tap(page, "report.confined:yes");
    await tap(page, "report.passport:yes");
    await tap(page, "report.forced:no");
    await tap(page, "report.departure:no");
    await type(page, "Adik saya tidak boleh keluar dari kantor.");
    await tap(page, "report.narrative:done");
    await type(page, "PT Contoh Jaya");
    await page.locator('button[data-id="report.evidence:skip"]:not([disabled])').waitFor();
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c33" } })
      .png()
      .toBuffer();
    await page.setInputFiles("#file", { name: "foto.png", mimeType: "image/png", buffer: photo });
    await tap(page, "report.evidence:done");
    await tap(page, "report.consent:yes");
    await tap(page, "report.review:confirm");
    await waitForLog(page, /PIN: \S+/);
    const text = await logText(page);
    code = REPORT_CODE.exec(text)![0];
    pin = /PIN: (\S+)/.exec(text)![1]!;
    const report = await prismaOf(web.db).report.findFirstOrThrow({ where: { code }, select: { id: true } });
    expect(await prismaOf(web.db).evidence.count({ where: { reportId: report.id, kind: "photo" } })).toBe(1);
    // One tab, one conversation: the reload did not start another.
    expect(await prismaOf(web.db).conversation.count({ where: { key: await keyOf(page) } })).toBe(1);
  });

  it("checks the report's status from a new tab with code and PIN", async () => {
    const page = await phone();
    await page.getByRole("button", { name: "Mulai" }).click();
    await tap(page, "language:id");
    await page.locator('button[data-id^="menu:"]').first().waitFor();
    await type(page, code);
    await waitForLog(page, /ketik PIN/i);
    await type(page, pin);
    await waitForLog(page, /Diterima, menunggu ditangani petugas/);
  });

  it("shows the emergency numbers first for a typed cry for help", async () => {
    const page = await phone();
    await type(page, "tolong adik sy gk boleh pulang, hp nya disita");
    await waitForLog(page, /110/);
    const first = await page.locator(".msg.bot").nth(1).textContent();
    expect(first).toMatch(/110/);
  });

  it("keeps the conversation through an event-stream drop (a restart) without losing or repeating a message", async () => {
    const page = await phone();
    await page.getByRole("button", { name: "Mulai" }).click();
    await tap(page, "language:id");
    await page.locator('button[data-id="menu:report"]').waitFor();
    await inPage(
      page,
      `window.offlineShown = false;
       new MutationObserver(() => { if (document.getElementById("status").textContent) window.offlineShown = true; })
         .observe(document.getElementById("status"), { childList: true, characterData: true, subtree: true });`,
    );
    await web.restart();
    await tap(page, "menu:report");
    await page.locator('button[data-id^="report.situation:"]').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    expect(await page.locator('button[data-id="report.situation:scam_compound"]').count()).toBe(1);
    expect(await page.locator('button[data-id="menu:report"]').count()).toBe(1);
    expect(await inPage(page, "window.offlineShown")).toBe(true);
  });

  it("quick exit leaves for the neutral site, Back does not return, and the server forgot the conversation", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 720 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${web.url}/readyz`);
    await page.goto(`${web.url}/`);
    await type(page, "halo");
    await page.locator('button[data-id="menu:report"]').waitFor();
    const key = await keyOf(page);
    expect(await prismaOf(web.db).conversation.count({ where: { key } })).toBe(1);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await page.waitForURL(`${web.url}/healthz`);
    await expect.poll(() => prismaOf(web.db).conversation.count({ where: { key } })).toBe(0);
    expect(await prismaOf(web.db).outboxMessage.count({ where: { targetKey: key } })).toBe(0);
    await page.goBack();
    expect(page.url()).toBe(`${web.url}/readyz`);
    const again = await context.newPage();
    await again.goto(`${web.url}/`);
    expect(await inPage(again, 'sessionStorage.getItem("sa.session")')).toBeNull();
  });

  it("works at 320 px with large tap targets, and axe finds no serious or critical problem", async () => {
    const page = await phone({ width: 320, bypassCSP: true });
    await page.getByRole("button", { name: "Mulai" }).click();
    await tap(page, "language:id");
    await page.locator('button[data-id="menu:report"]').waitFor();
    expect(await inPage<number>(page, "document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
    const small = await inPage<number>(
      page,
      `[...document.querySelectorAll("button, .attach")].map((el) => el.getBoundingClientRect())
         .filter((r) => r.width > 0 && (r.height < 44 || r.width < 44)).length`,
    );
    expect(small).toBe(0);
    await page.evaluate(axeSource);
    const violations = await inPage<string[]>(
      page,
      `axe.run().then((r) => r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id))`,
    );
    expect(violations).toEqual([]);
    await page.locator("#lang").click();
    await page.locator('button[data-id="language:en"]').waitFor();
    expect(await page.locator("#send").textContent()).toBe("Send");
    if (process.env.UPDATE_SCREENSHOT) {
      const shot = await phone();
      await shot.getByRole("button", { name: "Mulai" }).click();
      await tap(shot, "language:id");
      await shot.locator('button[data-id="menu:report"]').waitFor();
      await shot.screenshot({ path: "docs/web-chat.png" });
    }
  });
});
