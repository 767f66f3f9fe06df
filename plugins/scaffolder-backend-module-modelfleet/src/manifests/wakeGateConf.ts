import { WAKE_GATE_WAKES_PATH } from '@modelfleet/plugin-modelfleet-node';
import { WAKE_GATE } from './constants';
import { WAKE_TIMING } from './wake';

/**
 * vLLM's development endpoints, served only under `VLLM_SERVER_DEV_MODE=1`
 * (which its sleep-mode HTTP API needs) and never to the model's clients:
 * the gate refuses them on the public port. ModelFleet calls `/sleep`,
 * `/wake_up` and `/is_sleeping` on the engine port. The list covers the
 * pinned vLLM and its successors' names; review it when the image moves.
 */
export const VLLM_DEV_ENDPOINTS = [
  'sleep',
  'wake_up',
  'is_sleeping',
  'collective_rpc',
  'reset_prefix_cache',
  'reset_mm_cache',
  'reset_encoder_cache',
  'server_info',
  'pause',
  'resume',
  'is_paused',
  'update_weights',
  'init_weight_transfer_engine',
  'scale_elastic_ep',
  'is_scaling_elastic_ep',
] as const;

/**
 * Inference paths besides `/v1/` and `/v2/`: what needs the engine's GPU
 * memory, so waits for a wake. Everything else (`/health`, `/metrics`,
 * `/ping`, `/version`, `/tokenize`, `/v1/models`) goes straight through
 * and never wakes the engine.
 */
const ROOT_INFERENCE_PATHS = [
  'invocations',
  'pooling',
  'classify',
  'score',
  'rerank',
];

/** How many of its last wakes the gate answers at WAKE_GATE_WAKES_PATH. */
const KEEP_WAKES = 100;

/** The Lua of the gate: OpenResty's lua-nginx-module API only, no library. */
function gateLua(): string {
  // Requests waiting for another's wake wait at most this long: the wake's
  // own timeout plus a margin, so the flag expires even if a worker dies.
  const waitSeconds = WAKE_GATE.wakeTimeoutSeconds + 10;
  return `
    local dict = ngx.shared.wake_gate
    local WAIT_SECONDS = ${waitSeconds}
    local POLL_SECONDS = 0.05
    local KEEP_WAKES = ${KEEP_WAKES}
    local gate = {}

    -- The last KEEP_WAKES wakes: "wake:<n>" = "<started> <seconds>".
    local function record_wake(started, seconds)
      local n = dict:incr("wake_seq", 1, 0)
      if not n then return end
      dict:set("wake:" .. n, string.format("%.3f %.3f", started, seconds))
      dict:delete("wake:" .. (n - KEEP_WAKES))
    end

    local function iso8601(t)
      local whole = math.floor(t)
      return os.date("!%Y-%m-%dT%H:%M:%S", whole) ..
        string.format(".%03dZ", math.floor((t - whole) * 1000))
    end

    -- The wakes this gate made, oldest first, for the hibernation loop.
    function gate.wakes()
      local last = dict:get("wake_seq") or 0
      local out = {}
      for n = math.max(1, last - KEEP_WAKES + 1), last do
        local v = dict:get("wake:" .. n)
        local started, seconds = string.match(v or "", "^(%S+) (%S+)$")
        if started then
          out[#out + 1] = string.format('{"startedAt":"%s","seconds":%s}',
            iso8601(tonumber(started)), seconds)
        end
      end
      ngx.header["Content-Type"] = "application/json"
      ngx.header["Cache-Control"] = "no-store"
      ngx.say('{"wakes":[', table.concat(out, ","), ']}')
    end

    local function json_string(s)
      local escaped = string.gsub(s, '[%c"\\\\]', function(c)
        return string.format("\\\\u%04x", string.byte(c))
      end)
      return '"' .. escaped .. '"'
    end

    -- A 503 the client can act on, in the OpenAI error shape.
    local function unavailable(message)
      ngx.log(ngx.ERR, "wake gate: ", message)
      ngx.status = ngx.HTTP_SERVICE_UNAVAILABLE
      ngx.header["Content-Type"] = "application/json"
      ngx.header["Retry-After"] = "10"
      ngx.say('{"error":{"message":', json_string(message),
        ',"type":"ServiceUnavailableError","code":503}}')
      return ngx.exit(ngx.HTTP_SERVICE_UNAVAILABLE)
    end

    -- true or false, or nil and why when the engine cannot say.
    local function engine_sleeps()
      local res = ngx.location.capture("/_wake_gate/is_sleeping")
      if res.status ~= ngx.HTTP_OK then
        return nil, "GET /is_sleeping answered HTTP " .. res.status
      end
      local value = string.match(res.body or "", '"is_sleeping"%s*:%s*(%a+)')
      if value == "true" then return true end
      if value == "false" then return false end
      return nil, "GET /is_sleeping answered no is_sleeping"
    end

    local function wake()
      local started = ngx.now()
      local res = ngx.location.capture("/_wake_gate/wake_up",
        { method = ngx.HTTP_POST })
      if res.status < 200 or res.status > 299 then
        return false, "POST /wake_up answered HTTP " .. res.status
      end
      local sleeps, err = engine_sleeps()
      if sleeps ~= false then
        return false, err or "the engine still sleeps after POST /wake_up"
      end
      ngx.update_time()
      local seconds = ngx.now() - started
      record_wake(started, seconds)
      ngx.log(ngx.NOTICE, "wake gate: the engine woke in ",
        string.format("%.1f", seconds), " s")
      return true
    end

    -- Holds an inference request until the engine is awake: one POST
    -- /wake_up however many requests arrive while it sleeps, the others
    -- waiting for it (at most WAIT_SECONDS), a 503 when the wake fails.
    function gate.ensure_awake()
      local sleeps, err = engine_sleeps()
      if sleeps == nil then
        -- Starting, or no sleep API: the engine answers as without a gate.
        ngx.log(ngx.WARN, "wake gate: ", err, "; passing the request on")
        return
      end
      if not sleeps then return end

      if dict:add("waking", true, WAIT_SECONDS) then
        -- This request wakes the engine. Another may have woken it since
        -- the check above, before this one took the flag: ask again.
        local ok, why = true, nil
        if engine_sleeps() ~= false then
          ngx.log(ngx.NOTICE, "wake gate: the engine sleeps; waking it")
          -- Whatever happens, the flag goes: the waiting requests see it.
          local ran, woke, reason = pcall(wake)
          ok, why = ran and woke, ran and reason or tostring(woke)
        end
        dict:delete("waking")
        if not ok then
          return unavailable("the model's engine is asleep and did not wake: " .. why)
        end
        return
      end

      -- Another request is waking the engine: wait for it.
      local deadline = ngx.now() + WAIT_SECONDS
      while dict:get("waking") do
        if ngx.now() >= deadline then
          return unavailable("the model's engine did not wake within " ..
            WAIT_SECONDS .. " s")
        end
        ngx.sleep(POLL_SECONDS)
      end
      if engine_sleeps() == true then
        return unavailable("the model's engine is asleep and did not wake; retry")
      end
    end

    package.loaded.wake_gate = gate`;
}

/**
 * The location of an internal call of the gate to the engine: no header
 * or body of the client's request (its Content-Length would have the
 * engine wait for a body that never comes).
 */
function engineCall(path: string, method: 'GET' | 'POST', timeout: number) {
  return `    location = /_wake_gate${path} {
      internal;
      proxy_pass_request_headers off;
      proxy_pass_request_body off;
      proxy_set_header Connection "";
      proxy_set_header Transfer-Encoding "";
      proxy_set_header Content-Length ${method === 'POST' ? '"0"' : '""'};
      proxy_buffering on;
      proxy_read_timeout ${timeout}s;
      proxy_pass http://engine${path};
    }`;
}

const GATED =
  '      access_by_lua_block { require("wake_gate").ensure_awake() }';

/**
 * The nginx.conf of the wake gate (OpenResty), rendered into its
 * ConfigMap. It names no path of a machine but the container's
 * (WAKE_GATE.runDir, WAKE_GATE.enginePort) and carries no user input.
 */
export function wakeGateNginxConf(): string {
  const run = WAKE_GATE.runDir;
  const timeout = WAKE_TIMING.requestSeconds;
  const devEndpoints = VLLM_DEV_ENDPOINTS.join('|');
  return `# The wake gate of the sleep idle tier, rendered by modelfleet:manifests:render.
# vLLM in sleep mode (level 1) does not wake when a request comes: before an
# inference request this gate asks it GET /is_sleeping, wakes it with one
# POST /wake_up however many requests wait, then proxies, unbuffered.
# Health and metrics go straight through and never wake it.
worker_processes 1;
daemon off;
pid ${run}/nginx.pid;
error_log stderr notice;

events {
  worker_connections 4096;
}

http {
  access_log off;
  server_tokens off;
  default_type application/octet-stream;
  # The engine takes what it takes (prompts with images are large).
  client_max_body_size 0;
  client_body_temp_path ${run}/client_body;
  proxy_temp_path ${run}/proxy;
  fastcgi_temp_path ${run}/fastcgi;
  uwsgi_temp_path ${run}/uwsgi;
  scgi_temp_path ${run}/scgi;

  lua_shared_dict wake_gate 1m;
  init_by_lua_block {${gateLua()}
  }

  upstream engine {
    server 127.0.0.1:${WAKE_GATE.enginePort};
    keepalive 32;
  }

  server {
    listen ${WAKE_GATE.port};

    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    # Streamed answers (server-sent events) reach the client token by token.
    proxy_buffering off;
    proxy_request_buffering off;
    proxy_connect_timeout 5s;
    proxy_read_timeout ${timeout}s;
    proxy_send_timeout ${timeout}s;
    send_timeout ${timeout}s;

    location = ${WAKE_GATE.healthPath} {
      default_type text/plain;
      return 200 "ok\\n";
    }

    # The wakes this gate made (the hibernation loop times them).
    location = ${WAKE_GATE_WAKES_PATH} {
      content_by_lua_block { require("wake_gate").wakes() }
    }

    # vLLM's development endpoints stay off the public port.
    location ~ ^/(${devEndpoints})(/|$) {
      default_type application/json;
      return 403 '{"error":{"message":"not served through the wake gate","type":"PermissionDeniedError","code":403}}';
    }

    # Never wake the engine.
    location = /health {
      proxy_pass http://engine;
    }
    location = /metrics {
      proxy_pass http://engine;
    }
    location = /v1/models {
      proxy_pass http://engine;
    }
    location / {
      proxy_pass http://engine;
    }

    # Inference: wait for the engine to be awake.
    location /v1/ {
${GATED}
      proxy_pass http://engine;
    }
    location /v2/ {
${GATED}
      proxy_pass http://engine;
    }
    location ~ ^/(${ROOT_INFERENCE_PATHS.join('|')})$ {
${GATED}
      proxy_pass http://engine;
    }

${engineCall('/is_sleeping', 'GET', 10)}
${engineCall('/wake_up', 'POST', WAKE_GATE.wakeTimeoutSeconds)}
  }
}
`;
}
