import { t } from "../../flows/content/catalog.ts";
import type { Lang } from "../../flows/message.ts";

/** One ISO week's reports by urgency: a bar of the chart. */
export type WeekCounts = { week: string; critical: number; high: number; normal: number };

/**
 * What the chart draws, a part of `Stats` (stats.ts): declared here so the chart does not import
 * stats.ts, which re-exports {@link statsToSvg}.
 */
export type ChartStats = { from: string; to: string; total: number; weeks: WeekCounts[] };

/**
 * A self-contained SVG bar chart of reports per ISO week, stacked by urgency, with title,
 * period, axis labels, totals above the bars and a legend; sized to be read on a projector at a
 * coordination meeting. No fonts, scripts or external references. Every text is XML-escaped.
 */
export function statsToSvg(stats: ChartStats, options: { title?: string; lang?: Lang } = {}): string {
  const lang = options.lang ?? "id";
  const weeks = stats.weeks;
  const slot = Math.max(22, Math.min(64, Math.floor(880 / Math.max(1, weeks.length))));
  const plot = { left: 80, top: 84, width: Math.max(320, slot * weeks.length), height: 300 };
  const width = plot.left + plot.width + 200;
  const height = plot.top + plot.height + 96;
  const max = Math.max(1, ...weeks.map((w) => w.critical + w.high + w.normal));
  const step = niceStep(max / 5);
  const top = Math.ceil(max / step) * step;
  const y = (v: number) => plot.top + plot.height - (v / top) * plot.height;
  const title = options.title ?? t(lang, "officers.stats.title");
  const period = t(lang, "officers.stats.period", { from: stats.from, to: stats.to, total: stats.total });

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Arial, Helvetica, sans-serif" role="img">`,
    `<title>${xml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${plot.left}" y="34" font-size="24" font-weight="bold" fill="#111111">${xml(title)}</text>`,
    `<text x="${plot.left}" y="60" font-size="16" fill="#444444">${xml(period)}</text>`,
  ];
  for (let v = 0; v <= top; v += step) {
    out.push(
      `<line x1="${plot.left}" y1="${y(v)}" x2="${plot.left + plot.width}" y2="${y(v)}" stroke="#dddddd"/>`,
      `<text x="${plot.left - 8}" y="${y(v) + 5}" font-size="14" text-anchor="end" fill="#333333">${v}</text>`,
    );
  }
  const rotate = slot < 44;
  weeks.forEach((w, i) => {
    const x = plot.left + i * slot + slot * 0.15;
    const barWidth = slot * 0.7;
    let base = 0;
    for (const u of STACK) {
      const n = w[u];
      if (n > 0) {
        out.push(
          `<rect x="${x}" y="${y(base + n)}" width="${barWidth}" height="${y(base) - y(base + n)}" fill="${COLORS[u]}"><title>${xml(`${w.week}: ${n} ${t(lang, `officers.urgency.${u}`)}`)}</title></rect>`,
        );
      }
      base += n;
    }
    if (base > 0) {
      out.push(
        `<text x="${x + barWidth / 2}" y="${y(base) - 6}" font-size="14" text-anchor="middle" fill="#111111">${base}</text>`,
      );
    }
    const lx = x + barWidth / 2;
    const ly = plot.top + plot.height + 20;
    const label = xml(w.week.replace(/^\d{4}-/, ""));
    out.push(
      rotate
        ? `<text x="${lx}" y="${ly}" font-size="13" text-anchor="end" transform="rotate(-45 ${lx} ${ly})" fill="#333333">${label}</text>`
        : `<text x="${lx}" y="${ly}" font-size="14" text-anchor="middle" fill="#333333">${label}</text>`,
    );
  });
  if (stats.total === 0) {
    out.push(
      `<text x="${plot.left + plot.width / 2}" y="${plot.top + plot.height / 2}" font-size="18" text-anchor="middle" fill="#666666">${xml(t(lang, "officers.stats.no_data"))}</text>`,
    );
  }
  out.push(
    `<line x1="${plot.left}" y1="${plot.top + plot.height}" x2="${plot.left + plot.width}" y2="${plot.top + plot.height}" stroke="#333333"/>`,
    `<line x1="${plot.left}" y1="${plot.top}" x2="${plot.left}" y2="${plot.top + plot.height}" stroke="#333333"/>`,
    `<text x="${plot.left + plot.width / 2}" y="${height - 14}" font-size="16" text-anchor="middle" fill="#111111">${xml(t(lang, "officers.stats.x_axis"))}</text>`,
    `<text x="24" y="${plot.top + plot.height / 2}" font-size="16" text-anchor="middle" transform="rotate(-90 24 ${plot.top + plot.height / 2})" fill="#111111">${xml(t(lang, "officers.stats.y_axis"))}</text>`,
  );
  const legendX = plot.left + plot.width + 30;
  [...STACK].reverse().forEach((u, i) => {
    const ly = plot.top + 10 + i * 30;
    out.push(
      `<rect x="${legendX}" y="${ly}" width="20" height="20" fill="${COLORS[u]}"/>`,
      `<text x="${legendX + 30}" y="${ly + 16}" font-size="16" fill="#111111">${xml(t(lang, `officers.urgency.${u}`))}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** Escapes text for XML content and attribute values. */
export function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Bottom to top: normal, high, critical (red on top, where the eye lands). */
const STACK = ["normal", "high", "critical"] as const;
/** Colour-blind-safe palette (Okabe–Ito). */
const COLORS = { critical: "#D55E00", high: "#E69F00", normal: "#0072B2" } as const;

function niceStep(raw: number): number {
  if (raw <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const n = raw / magnitude;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * magnitude;
}
