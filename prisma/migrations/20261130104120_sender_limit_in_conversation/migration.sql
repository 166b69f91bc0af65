-- AlterTable
ALTER TABLE "conversation" ADD COLUMN     "limit_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "limit_window_at" TIMESTAMP(3);
