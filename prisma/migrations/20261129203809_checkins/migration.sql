-- CreateTable
CREATE TABLE "checkin" (
    "id" TEXT NOT NULL,
    "conversation_key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "details_sealed" BYTEA NOT NULL,
    "safe_phrase_hash" TEXT,
    "family_code_hash" TEXT NOT NULL,
    "consent_case" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "last_ok_at" TIMESTAMP(3),
    "last_checkin_at" TIMESTAMP(3),
    "missed_count" INTEGER NOT NULL DEFAULT 0,
    "alerts_sent" INTEGER NOT NULL DEFAULT 0,
    "cases_opened" INTEGER NOT NULL DEFAULT 0,
    "alerted" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkin_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkin_family" (
    "id" TEXT NOT NULL,
    "checkin_id" TEXT NOT NULL,
    "conversation_key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkin_family_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "checkin_conversation_key_key" ON "checkin"("conversation_key");

-- CreateIndex
CREATE UNIQUE INDEX "checkin_family_code_hash_key" ON "checkin"("family_code_hash");

-- CreateIndex
CREATE INDEX "checkin_status_last_checkin_at_idx" ON "checkin"("status", "last_checkin_at");

-- CreateIndex
CREATE INDEX "checkin_family_conversation_key_idx" ON "checkin_family"("conversation_key");

-- CreateIndex
CREATE UNIQUE INDEX "checkin_family_checkin_id_conversation_key_key" ON "checkin_family"("checkin_id", "conversation_key");

-- AddForeignKey
ALTER TABLE "checkin_family" ADD CONSTRAINT "checkin_family_checkin_id_fkey" FOREIGN KEY ("checkin_id") REFERENCES "checkin"("id") ON DELETE CASCADE ON UPDATE CASCADE;
