-- AlterTable
ALTER TABLE "evidence" DROP COLUMN "sha256";
