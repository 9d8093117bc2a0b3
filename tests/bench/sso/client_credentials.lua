-- wrk script: POST the token endpoint, grant_type=client_credentials, client_secret_basic.
-- Environment: BENCH_BASIC (the base64 of "client_id:client_secret", each form-urlencoded,
-- as RFC 6749 2.3.1 asks), BENCH_SCOPE (the scope to ask for).
-- Usage: wrk -t1 -c32 -d10s --latency -s client_credentials.lua http://HOST:PORT/oauth2/token
local basic = assert(os.getenv("BENCH_BASIC"), "BENCH_BASIC is not set")
local scope = assert(os.getenv("BENCH_SCOPE"), "BENCH_SCOPE is not set")

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

wrk.method = "POST"
wrk.headers["Authorization"] = "Basic " .. basic
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.body = "grant_type=client_credentials&scope=" .. urlencode(scope)
