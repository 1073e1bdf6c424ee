"""The api stack's REST API: `stack.py` wires it (and the real-time path of `stacks/realtime/`).

`partners` (who may call, with which limits), `keys` (API keys, usage plans), `models` (request
schemas the gateway validates), `gateway` (routes, stage, logs), `errors` (gateway responses),
`waf` (the web ACL in front of the stage), `account` (the account's API Gateway logging role).
"""
