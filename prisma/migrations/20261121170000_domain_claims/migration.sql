-- A hostname was unique across the platform from the moment a store added it, verified or not: a
-- store could claim a domain it does not control and keep its owner from adding it. Now only a
-- verified claim is unique (whoever proves control of DNS first holds the hostname); unverified
-- claims block nobody and map no requests. A store claims a hostname once.
DROP INDEX "StoreDomain_hostname_key";
CREATE UNIQUE INDEX "StoreDomain_hostname_verified_key" ON "StoreDomain"("hostname") WHERE "verifiedAt" IS NOT NULL;
CREATE UNIQUE INDEX "StoreDomain_storeId_hostname_key" ON "StoreDomain"("storeId", "hostname");
