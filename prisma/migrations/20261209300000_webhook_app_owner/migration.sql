-- A webhook owned by an app goes with the app: its payloads are read with the app's permissions,
-- and a deleted app has none. The webhooks migration left "appId" without a key, apps being built
-- beside it; both tables are the store subgraph's and colocated by "storeId".
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_storeId_appId_fkey" FOREIGN KEY ("storeId", "appId") REFERENCES "App"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;
