-- wrk script: POST the introspection endpoint (RFC 7662) about one valid access token,
-- client_secret_basic.
-- Environment: BENCH_BASIC (the base64 of "client_id:client_secret", each form-urlencoded),
-- BENCH_TOKEN (the access token to introspect).
-- Usage: wrk -t1 -c32 -d10s --latency -s introspection.lua http://HOST:PORT/oauth2/introspect
local basic = assert(os.getenv("BENCH_BASIC"), "BENCH_BASIC is not set")
local token = assert(os.getenv("BENCH_TOKEN"), "BENCH_TOKEN is not set")

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

wrk.method = "POST"
wrk.headers["Authorization"] = "Basic " .. basic
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.body = "token=" .. urlencode(token)

-- A valid token must stay valid: count answers that do not say "active":true.
local inactive = 0
function response(status, headers, body)
  if status == 200 and not body:find('"active":%s*true') then
    inactive = inactive + 1
  end
end

function done(summary, latency, requests)
  -- Each wrk thread has its own Lua state; with -t1 this is the whole count.
  io.write(string.format("inactive answers: %d\n", inactive))
end
