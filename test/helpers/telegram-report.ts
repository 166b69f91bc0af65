import type { TelegramUser } from "./telegram-service.ts";

/** Language, menu and the first report questions by tapping, ending at "how many people". */
export async function startReport(u: TelegramUser): Promise<void> {
  await u.text("/start");
  await u.tap("language:en");
  await u.tap("menu:report");
  await u.tap("report.situation:");
  await u.tap("report.country:indonesia");
  await u.tap("report.city:skip");
  await u.tap("report.location:skip");
  await u.tap("report.when:now");
}

/** From "how many people" to the evidence step, with `story` as the report's story. */
export async function reachEvidence(
  u: TelegramUser,
  story = "My cousin was promised a job at a hotel and the agent kept her passport.",
): Promise<void> {
  await u.tap("report.people:one");
  for (const step of ["minors", "danger", "confined", "passport", "forced"]) await u.tap(`report.${step}:no`);
  if (u.lastKeyboard().buttons.some((b) => b.callback_data.startsWith("report.departure:"))) {
    await u.tap("report.departure:no");
  }
  await u.text(story);
  await u.tap("report.narrative:done");
  await u.text("PT Contoh Jaya");
}
