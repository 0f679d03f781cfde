-- The relay reads the oldest unpublished events (app_outbox_unpublished) on every wake-up. Through
-- the index on ("publishedAt", "id") that read visited every event published since the last
-- vacuum (publishing a row leaves its old NULL entry behind) and sorted the rest: under a steady
-- stream of orders, thousands of dead entries and a heap page each per read. This partial index
-- holds only unpublished events, in id order, so the read is an ordered index scan that stops
-- after max_rows and marks the dead entries it passes so that later reads skip them.

-- CreateIndex
CREATE INDEX "OutboxEvent_unpublished_id_idx" ON "OutboxEvent"("id") WHERE "publishedAt" IS NULL;
