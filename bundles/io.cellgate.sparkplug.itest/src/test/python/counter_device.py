#!/usr/bin/python3
"""A Modbus TCP device served by Debian's pymodbus (3.0) for the Sparkplug kill test: holding register 0
of unit 1 holds whatever the test sets. Run with /usr/bin/python3 (pymodbus is importable only there).

    counter_device.py --port PORT [--host ADDRESS]      (default 127.0.0.1)

Prints "READY" once it serves, then answers one command per line on stdin with one line on stdout:
    SET <value> [<address>] -> "OK"            holding register <address> (default 0) := value (0..65535)
    COUNT         -> "COUNT <n>"               read requests served so far (shows that a gateway polls)
    GET <address> -> "VALUE <n>"               holding register <address> (what a gateway wrote)
"""
import argparse
import asyncio
import logging
import sys
import threading

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.framer.socket_framer import ModbusSocketFramer
from pymodbus.server.async_io import ModbusConnectedRequestHandler, ModbusTcpServer

REQUESTS = [0]
LOCK = threading.Lock()


class CountingHandler(ModbusConnectedRequestHandler):
    def execute(self, request, *addr):
        with LOCK:
            REQUESTS[0] += 1
        super().execute(request, *addr)


def command_loop(store):
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        try:
            if parts[0] == "SET":
                store.setValues(3, int(parts[2]) if len(parts) > 2 else 0, [int(parts[1])])
                reply = "OK"
            elif parts[0] == "GET":
                reply = f"VALUE {store.getValues(3, int(parts[1]), 1)[0]}"
            elif parts[0] == "COUNT":
                with LOCK:
                    reply = f"COUNT {REQUESTS[0]}"
            else:
                reply = f"ERROR unknown command {parts[0]}"
        except Exception as exc:  # the test reads the error instead of hanging
            reply = f"ERROR {exc!r}"
        print(reply, flush=True)


async def serve(host, port):
    block = ModbusSequentialDataBlock(0, [0] * 100)
    # zero_mode: protocol address N is block address N (without it pymodbus 3.0 adds 1).
    store = ModbusSlaveContext(zero_mode=True, hr=block, ir=ModbusSequentialDataBlock(0, [0] * 100),
                               co=ModbusSequentialDataBlock(0, [0] * 100), di=ModbusSequentialDataBlock(0, [0] * 100))
    context = ModbusServerContext(slaves={1: store}, single=False)
    server = ModbusTcpServer(context, framer=ModbusSocketFramer, address=(host, port),
                             handler=CountingHandler, allow_reuse_address=True)
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    print("READY", flush=True)
    threading.Thread(target=command_loop, args=(store,), daemon=True).start()
    await task


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, force=True)
    asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
