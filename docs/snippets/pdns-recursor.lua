-- PowerDNS Recursor: load the root zone from rootmirror into the cache (RFC 8806, the root
-- zone on loopback) with zoneToCache. Goes with pdns-recursor.conf, which sends the
-- recursor's other questions to the root to the mirror.
--
-- Add this to the file lua-config-file names (Debian: /etc/powerdns/recursor.lua) and
-- restart pdns-recursor. Needs PowerDNS Recursor 4.7 or newer (zoneToCache came in 4.6, its
-- dnssec and zonemd settings in 4.7); Debian 12 ships 4.8. With 5.x YAML settings use
-- recordcache.zonetocaches instead (not tested here).
--
-- The recursor transfers the whole zone from the mirror (AXFR), refuses it unless its ZONEMD
-- (RFC 8976) and the DNSSEC signatures on its keys and ZONEMD verify with the recursor's own
-- trust anchor, and puts every record in its cache, so that referrals to the TLDs come from
-- there. It transfers the zone again every refreshPeriod seconds (1800, the root's SOA
-- refresh), and after retryOnErrorPeriod seconds when a transfer fails; meanwhile the cached
-- records last their TTLs.
--
-- Check: the log says "Loaded zone into cache" with zone=".", and `rec_control
-- dump-cache /dev/stdout | grep -c ' NS '` counts the TLD delegations.

zoneToCache(".", "axfr", "127.12.12.12", {
    refreshPeriod = 1800,
    retryOnErrorPeriod = 60,
    zonemd = "require",
    dnssec = "require",
})
