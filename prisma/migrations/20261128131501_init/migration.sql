-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sending', 'sent', 'held', 'dead');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('received', 'in_progress', 'referred', 'closed');

-- CreateEnum
CREATE TYPE "Urgency" AS ENUM ('critical', 'high', 'normal');

-- CreateEnum
CREATE TYPE "EscalationStatus" AS ENUM ('notified', 'acknowledged', 'superseded', 'exhausted');

-- CreateEnum
CREATE TYPE "CaseMessageKind" AS ENUM ('question', 'answer', 'info', 'note', 'status');

-- CreateTable
CREATE TABLE "conversation" (
    "key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "flow_version" INTEGER NOT NULL,
    "snapshot_sealed" BYTEA,
    "address_sealed" BYTEA,
    "channel_state" JSONB,
    "lang" TEXT,
    "last_inbound_at" TIMESTAMP(3),
    "contact_consent" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "expires_at" TIMESTAMP(3),

    CONSTRAINT "conversation_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "inbound_receipt" (
    "channel" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "conversation_key" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbound_receipt_pkey" PRIMARY KEY ("channel","external_id")
);

-- CreateTable
CREATE TABLE "outbox_message" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "target_key" TEXT NOT NULL,
    "payload_sealed" BYTEA NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT 'reply',
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMP(3),
    "last_error" TEXT,
    "external_id" TEXT,
    "sent_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "pin_hash" TEXT NOT NULL,
    "urgency" "Urgency" NOT NULL,
    "reasons" TEXT[],
    "situation" TEXT NOT NULL,
    "country" TEXT,
    "status" "ReportStatus" NOT NULL DEFAULT 'received',
    "outcome" TEXT,
    "content_sealed" BYTEA NOT NULL,
    "consent_contact" BOOLEAN NOT NULL DEFAULT false,
    "conversation_key" TEXT,
    "assigned_officer_id" TEXT,
    "failed_pin_count" INTEGER NOT NULL DEFAULT 0,
    "failed_pin_since" TIMESTAMP(3),
    "locked_until" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "closed_at" TIMESTAMP(3),

    CONSTRAINT "report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence" (
    "id" TEXT NOT NULL,
    "report_id" TEXT,
    "conversation_key" TEXT,
    "kind" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data_sealed" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escalation" (
    "id" TEXT NOT NULL,
    "report_id" TEXT NOT NULL,
    "tier" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "officer_ids" TEXT[],
    "status" "EscalationStatus" NOT NULL DEFAULT 'notified',
    "notified_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "due_at" TIMESTAMP(3),
    "acked_at" TIMESTAMP(3),
    "acked_by" TEXT,

    CONSTRAINT "escalation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "officer" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "channel_key" TEXT NOT NULL,
    "address_sealed" BYTEA NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "officer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "officer_invite" (
    "code_hash" TEXT NOT NULL,
    "officer_id" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "officer_invite_pkey" PRIMARY KEY ("code_hash")
);

-- CreateTable
CREATE TABLE "case_message" (
    "id" TEXT NOT NULL,
    "report_id" TEXT NOT NULL,
    "kind" "CaseMessageKind" NOT NULL,
    "officer_id" TEXT,
    "reply_to" TEXT,
    "body_sealed" BYTEA NOT NULL,
    "delivered_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "report_id" TEXT,
    "details" JSONB,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "conversation_expires_at_idx" ON "conversation"("expires_at");

-- CreateIndex
CREATE INDEX "inbound_receipt_received_at_idx" ON "inbound_receipt"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_message_idempotency_key_key" ON "outbox_message"("idempotency_key");

-- CreateIndex
CREATE INDEX "outbox_message_status_next_attempt_at_idx" ON "outbox_message"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "outbox_message_target_key_seq_idx" ON "outbox_message"("target_key", "seq");

-- CreateIndex
CREATE INDEX "outbox_message_external_id_idx" ON "outbox_message"("external_id");

-- CreateIndex
CREATE UNIQUE INDEX "report_code_key" ON "report"("code");

-- CreateIndex
CREATE INDEX "report_created_at_idx" ON "report"("created_at");

-- CreateIndex
CREATE INDEX "report_status_idx" ON "report"("status");

-- CreateIndex
CREATE INDEX "evidence_report_id_idx" ON "evidence"("report_id");

-- CreateIndex
CREATE INDEX "evidence_conversation_key_idx" ON "evidence"("conversation_key");

-- CreateIndex
CREATE UNIQUE INDEX "escalation_report_id_tier_round_key" ON "escalation"("report_id", "tier", "round");

-- CreateIndex
CREATE UNIQUE INDEX "officer_channel_key_key" ON "officer"("channel_key");

-- CreateIndex
CREATE INDEX "case_message_report_id_created_at_idx" ON "case_message"("report_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_event_report_id_idx" ON "audit_event"("report_id");

-- CreateIndex
CREATE INDEX "audit_event_at_idx" ON "audit_event"("at");

-- AddForeignKey
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalation" ADD CONSTRAINT "escalation_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_message" ADD CONSTRAINT "case_message_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "report"("id") ON DELETE CASCADE ON UPDATE CASCADE;
