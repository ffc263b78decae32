-- Identity master key rotation: each wrapped data key records which master key wrapped it.
-- "masterKeyId" is a fingerprint of the master key (16 hex characters of an HMAC-SHA256 keyed by
-- it, modules/identity/infra/master-key.ts), never key material. It lets a server that holds
-- IDENTITY_MASTER_KEY and IDENTITY_MASTER_KEY_PREVIOUS pick the right one while
-- `identity rotate-master-key` runs, lets the rotation resume where it stopped (rows already on
-- the new key are skipped), and names the missing key in the error when neither matches.
-- Inputs: none. Effects: adds the nullable column "IdentityDataKey"."masterKeyId" with a format
-- check. Existing rows keep NULL (SQL cannot know the key): the server tries its keys in turn
-- for them and the next rotation records the id. Grants are unchanged: trinetra_app still only
-- inserts and reads key rows; the rotation updates them through the owner connection.
-- Errors: fails if the column exists.

ALTER TABLE "IdentityDataKey" ADD COLUMN "masterKeyId" TEXT;
ALTER TABLE "IdentityDataKey" ADD CONSTRAINT "IdentityDataKey_masterKeyId_check" CHECK ("masterKeyId" ~ '^[0-9a-f]{16}$');
