-- records.lua
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- A wrk script for kac-central: every request is POST /api/v1/records with a batch of fresh,
-- valid registrations (random version 4 UUIDs, new-format personal codes, services of the
-- sample catalogue), so that every item must be accepted and stored.
--
-- Environment: KAC_LOAD_TOKEN (bearer token of a clerk), KAC_LOAD_CENTRE (the clerk's centre),
-- KAC_LOAD_BATCH (records per request, default 50), KAC_LOAD_OUT (a folder: each wrk thread
-- writes the UUIDs the server answered "accepted" to OUT/accepted-N.txt, one a line, so the
-- caller can check them against the store), KAC_LOAD_CONNECTION_CLOSE=1 (one request per
-- connection).
--
-- done() prints lines "key value" that the driver script reads:
--   requests, duration_s, requests_per_s, records_per_s, latency_p50_ms, latency_p99_ms,
--   latency_max_ms, errors_connect/read/write/timeout/status, non_2xx, items_accepted,
--   items_other (duplicate, conflict, rejected or missing results), answered, sent.

local token = os.getenv("KAC_LOAD_TOKEN")
local centre = os.getenv("KAC_LOAD_CENTRE")
local batch = tonumber(os.getenv("KAC_LOAD_BATCH") or "50")
local out_dir = os.getenv("KAC_LOAD_OUT")

-- Services of the sample catalogue (data/catalog/sample-catalog.json) with their institution.
local services = {
  { "LAD-01", "LAD" }, { "NVA-01", "NVA" }, { "UR-01", "UR" }, { "PMLP-01", "PMLP" },
  { "VID-01", "VID" }, { "VSAA-01", "VSAA" }, { "VZD-01", "VZD" },
}
local channels = { "in-person", "phone", "electronic", "post" }
-- Kinds that need no more than a service and (for applications) a client.
local kinds = { "application", "application", "application", "information", "consultation-eservices" }

-- Threads (setup phase, main Lua state) so that done() can add up their counters.
local threads = {}
local thread_count = 0

function setup (thread)
  thread_count = thread_count + 1
  thread:set("id", thread_count)
  table.insert(threads, thread)
end

-- Running phase: one Lua state per wrk thread, so these are per thread.
-- Globals, not locals: done() reads them with thread:get().
accepted = 0
other = 0
non_2xx = 0
answered = 0
sent = 0
local out = nil
local headers = nil

function init (args)
  if token == nil or centre == nil then
    error("records.lua: set KAC_LOAD_TOKEN and KAC_LOAD_CENTRE")
  end
  -- Distinct seeds per thread: the UUIDs of two threads must not follow the same sequence.
  local seed = os.time() * 1000 + (id or 0) * 7919 + math.floor(os.clock() * 1000000)
  math.randomseed(seed)
  for _ = 1, 10 do math.random() end
  if out_dir ~= nil then
    out = assert(io.open(out_dir .. "/accepted-" .. tostring(id) .. ".txt", "w"))
  end
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }
  -- A new connection (and TLS handshake) for every request: the server's accept and
  -- handshake path under load, and its clean-up of closed connections.
  if os.getenv("KAC_LOAD_CONNECTION_CLOSE") == "1" then
    headers["Connection"] = "close"
  end
end

-- RFC 4122 version 4: 122 random bits, drawn 16 at a time (cheap: wrk's own CPU time is
-- taken from the server's on a small machine).
local function uuid4 ()
  local r = math.random
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x",
                       r(0, 0xffff), r(0, 0xffff), r(0, 0xffff), r(0, 0xfff),
                       0x8000 + r(0, 0x3fff), r(0, 0xffff), r(0, 0xffff), r(0, 0xffff))
end

-- The new format (from 1 July 2017): 3, then 2–9, then nine random digits; no check digit.
local function personal_code ()
  return string.format("3%d%04d-%05d", math.random(2, 9), math.random(0, 9999), math.random(0, 99999))
end

local function record (now)
  local service = services[math.random(#services)]
  local kind = kinds[math.random(#kinds)]
  local client = "null"
  if kind == "application" then
    client = string.format('{"name":"Klients %d","personal_code":"%s"}', math.random(1, 999999),
                           personal_code())
  end
  return string.format('{"uuid":"%s","kind":"%s","service_code":"%s","institution_code":"%s",'
                       .. '"channel":"%s","client":%s,"notes":null,"satisfaction":%d,'
                       .. '"created_at":"%s","clerk":"load","centre_id":"%s"}',
                       uuid4(), kind, service[1], service[2], channels[math.random(#channels)],
                       client, math.random(1, 5), now, centre)
end

function request ()
  -- A second in the past: the server refuses records dated in the future.
  local now = os.date("!%Y-%m-%dT%H:%M:%S", os.time() - 1) .. ".000000Z"
  local items = {}
  for i = 1, batch do items[i] = record(now) end
  sent = sent + 1
  return wrk.format("POST", "/api/v1/records", headers, '{"records":[' .. table.concat(items, ",") .. "]}")
end

function response (status, hdrs, body)
  answered = answered + 1
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
    if non_2xx <= 3 then
      io.stderr:write("records.lua: HTTP " .. status .. ": " .. string.sub(body or "", 1, 400) .. "\n")
    end
    return
  end
  -- The answer is kac_wire_encode_batch_response(): compact, "uuid" first, then "status".
  local n = 0
  -- A result object has no nested object, so "[^}]*" is the rest of it. A fresh UUID must be
  -- accepted on first sight: a replay would mean two requests carried the same UUID.
  for uuid, item_status, rest in string.gmatch(body, '{"uuid":"([^"]+)","status":"([a-z]+)"([^}]*)}') do
    n = n + 1
    if item_status == "accepted" and string.find(rest, '"replay":false', 1, true) then
      accepted = accepted + 1
      if out ~= nil then out:write(uuid, "\n") end
    else
      other = other + 1
      if other <= 3 then
        io.stderr:write("records.lua: item " .. uuid .. " " .. item_status .. "\n")
      end
    end
  end
  if n ~= batch then
    other = other + (batch - n)
    io.stderr:write("records.lua: " .. n .. " results for " .. batch .. " records\n")
  end
  if out ~= nil then out:flush() end
end

function done (summary, latency, requests)
  local totals = { accepted = 0, other = 0, non_2xx = 0, answered = 0, sent = 0 }
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do
      totals[key] = totals[key] + (thread:get(key) or 0)
    end
  end
  local seconds = summary.duration / 1e6
  local lines = {
    { "requests", summary.requests },
    { "duration_s", string.format("%.2f", seconds) },
    { "requests_per_s", string.format("%.1f", summary.requests / seconds) },
    { "records_per_s", string.format("%.0f", totals.accepted / seconds) },
    { "latency_p50_ms", string.format("%.2f", latency:percentile(50) / 1000) },
    { "latency_p99_ms", string.format("%.2f", latency:percentile(99) / 1000) },
    { "latency_max_ms", string.format("%.2f", latency.max / 1000) },
    { "errors_connect", summary.errors.connect },
    { "errors_read", summary.errors.read },
    { "errors_write", summary.errors.write },
    { "errors_timeout", summary.errors.timeout },
    { "errors_status", summary.errors.status },
    { "non_2xx", totals.non_2xx },
    { "items_accepted", totals.accepted },
    { "items_other", totals.other },
    { "answered", totals.answered },
    { "sent", totals.sent },
  }
  for _, line in ipairs(lines) do
    io.write(line[1], " ", tostring(line[2]), "\n")
  end
end
