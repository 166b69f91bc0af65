import type { OfficerCommandName } from "./officer-commands.ts";
import { oneLine } from "./text-format.ts";

/**
 * Short Indonesian replies to officers' commands. Officers are addressed in Indonesian only (the
 * summaries are too); the reporter-facing texts stay in the flow catalogs.
 */
export const officerReplies = {
  acked: (code: string) => `Diterima: ${code}. Eskalasi ke petugas berikutnya dihentikan.`,
  alreadyAcked: (code: string, by: string) => `${code} sudah diterima oleh ${oneLine(by, 60)}.`,
  claimed: (code: string) => `Anda sekarang menangani ${code}. Eskalasi dihentikan.`,
  claimedByOther: (code: string, by: string) =>
    `${code} sudah ditangani ${oneLine(by, 60)}. Hubungi rekan tersebut bila perlu dialihkan.`,
  noted: (code: string) => `Catatan untuk ${code} disimpan.`,
  statusChanged: (code: string, status: string, pushed: boolean) =>
    `Status ${code} sekarang: ${status}. ${
      pushed
        ? "Pelapor sudah diberi kabar."
        : "Pelapor akan melihatnya saat memeriksa status dengan kode dan PIN."
    }`,
  askPrompt: (code: string) =>
    `Tulis pertanyaan untuk pelapor ${code} sebagai pesan berikutnya (maks. 1000 karakter). Identitas Anda tidak ditampilkan ke pelapor.`,
  asked: (code: string, pushed: boolean, inGroup = false) =>
    `Pertanyaan untuk ${code} disimpan. ${
      pushed
        ? "Pertanyaan sudah dikirim ke pelapor."
        : "Pelapor akan melihatnya saat memeriksa status dengan kode dan PIN."
    } ${inGroup ? "Jawaban akan diteruskan ke chat pribadi Anda dengan bot." : "Jawaban akan diteruskan ke sini."}`,
  closedCase: (code: string) => `${code} sudah ditutup.`,
  unknownCase: (code: string) => `Kasus ${code} tidak ditemukan.`,
  evidenceCaption: (code: string, index: number, total: number) => `Bukti ${index}/${total} untuk ${code}`,
  evidenceMore: (code: string, more: number) =>
    `+${more} berkas bukti lain untuk ${code} tidak dikirim lewat chat; minta admin mengekspornya dengan: npm run admin -- evidence export ${code}`,
  answer: (code: string, text: string) => `Jawaban pelapor untuk ${code}:\n\n${text}`,
  info: (code: string, text: string) => `Informasi tambahan dari pelapor untuk ${code}:\n\n${text}`,
  newEvidence: (code: string, count: number) =>
    `Pelapor menambahkan ${count} berkas bukti ke ${code}. Detail dengan /kasus ${code}.`,
  exhausted: (code: string, steps: number) =>
    `PERHATIAN: laporan ${code} belum diterima siapa pun setelah ${steps} tahap eskalasi. Mohon segera tekan Terima atau /ack ${code}, lalu tindak lanjuti.`,
  registered: (name: string) =>
    `Terdaftar sebagai petugas: ${oneLine(name, 100)}. Laporan mendesak akan dikirim ke chat ini. Ketik /kasus untuk daftar kasus.`,
  registerFailed:
    "Kode undangan tidak berlaku (salah, kedaluwarsa atau sudah dipakai). Minta kode baru ke admin.",
  registerPrivateOnly: "Kirim /daftar <kode> di chat pribadi dengan bot, bukan di grup.",
  groupNotOfficer:
    "Perintah petugas di grup ini hanya untuk petugas yang terdaftar. Minta admin mendaftarkan akun Telegram Anda.",
  registerTaken: "Akun ini sudah terdaftar untuk petugas lain. Hubungi admin.",
  usage: (command: OfficerCommandName) => USAGE[command],
} as const;

const USAGE: Record<OfficerCommandName, string> = {
  list: "Pakai: /kasus (daftar kasus terbuka) atau /kasus <kode> (detail).",
  claim: "Pakai: /klaim <kode>",
  ack: "Pakai: /ack <kode>",
  note: "Pakai: /catat <kode> <catatan>",
  ask: "Pakai: /tanya <kode> <pertanyaan> (maks. 1000 karakter)",
  status:
    "Pakai: /status <kode> diterima|diproses|dirujuk|ditutup [hasil]. Hasil untuk ditutup: victim_assisted, investigation, departure_prevented, referred_elsewhere, insufficient_info, no_trafficking, duplicate.",
  register: "Pakai: /daftar <kode undangan> (di chat pribadi dengan bot).",
};
