import type { Database } from "./database.ts";

/** A clean, sealed evidence file ready to be stored for a conversation's report draft. */
export interface NewEvidence {
  conversationKey: string;
  kind: "photo" | "document";
  mime: string;
  size: number;
  dataSealed: Uint8Array<ArrayBuffer>;
}

/** Stores an evidence file and returns its id. */
export async function insertEvidence(db: Database, evidence: NewEvidence): Promise<string> {
  const row = await db.transaction((tx) => tx.evidence.create({ data: evidence, select: { id: true } }));
  return row.id;
}

/** The sealed bytes and type of one evidence file, or `undefined` when it is gone. */
export async function findEvidence(
  db: Database,
  id: string,
): Promise<{ dataSealed: Uint8Array; mime: string; kind: string } | undefined> {
  const row = await db.prisma.evidence.findUnique({
    where: { id },
    select: { dataSealed: true, mime: true, kind: true },
  });
  return row ?? undefined;
}
