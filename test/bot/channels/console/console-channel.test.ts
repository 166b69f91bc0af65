import { describe, expect, it } from "vitest";
import { renderConsole } from "../../../../src/bot/channels/console/console-channel.ts";
import { t } from "../../../../src/flows/content/catalog.ts";

describe("renderConsole", () => {
  it("shows a code + PIN message without the delete button, which only Telegram can honour", () => {
    const label = t("id", "common.erase_button");
    const shown = renderConsole({
      type: "text",
      text: "Kode laporan: REF-TEST\nPIN: 000000",
      erase: { label },
    });
    expect(shown).toBe("Kode laporan: REF-TEST\nPIN: 000000");
    expect(shown).not.toContain(label);
  });
});
