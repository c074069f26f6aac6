#!/usr/bin/python3
"""A Modbus TCP device served by Debian's pymodbus (3.0), for the full-stack tests of io.cellgate.itest.

Run with /usr/bin/python3 (Debian's pymodbus is importable only from there):

    modbus_device.py PORT [ADDRESS=VALUE ...]     holding registers of unit 1, e.g. 20=5 30=100

Prints "READY" once it serves on 127.0.0.1:PORT. Then answers one command per line on stdin, one line
on stdout:
    GET <address>              -> "VALUE <holding register>"
    SET <address> <value>      -> "OK"    (the register is set before the answer is written)
    COUNT                      -> "COUNT <write requests executed (function codes 5, 6, 15, 16)>"
    FAULT <code>               -> "OK"    (reads of holding registers answer exception <code> from now; 0: normally)
    DELAY <ms>                 -> "OK"    (every answer is held back this long from now; 0: at once)
"""
import asyncio
import logging
import sys
import threading
import time

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.framer.socket_framer import ModbusSocketFramer
from pymodbus.server.async_io import ModbusConnectedRequestHandler, ModbusTcpServer

HOLDING = 3
WRITE_FUNCTIONS = (5, 6, 15, 16)
WRITES = [0]
FAULT = [0]
DELAY = [0]
LOCK = threading.Lock()


class CountingHandler(ModbusConnectedRequestHandler):
    def execute(self, request, *addr):
        if DELAY[0]:
            time.sleep(DELAY[0] / 1000)  # blocks the loop: one client only, and that is the point
        if request.function_code in WRITE_FUNCTIONS:
            with LOCK:
                WRITES[0] += 1
        if FAULT[0] and request.function_code == HOLDING:
            response = request.doException(FAULT[0])
            response.transaction_id = request.transaction_id
            response.unit_id = request.unit_id
            self.send(response, *addr, skip_encoding=False)
            return
        super().execute(request, *addr)


def command_loop(slave):
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        try:
            if parts[0] == "GET":
                reply = f"VALUE {slave.getValues(HOLDING, int(parts[1]), 1)[0]}"
            elif parts[0] == "SET":
                slave.setValues(HOLDING, int(parts[1]), [int(parts[2])])
                reply = "OK"
            elif parts[0] == "FAULT":
                FAULT[0] = int(parts[1])
                reply = "OK"
            elif parts[0] == "DELAY":
                DELAY[0] = int(parts[1])
                reply = "OK"
            elif parts[0] == "COUNT":
                with LOCK:
                    reply = f"COUNT {WRITES[0]}"
            else:
                reply = f"ERROR unknown command {parts[0]}"
        except Exception as exc:  # the test reads the error instead of hanging
            reply = f"ERROR {exc!r}"
        print(reply, flush=True)


async def serve(port, slave):
    context = ModbusServerContext(slaves={1: slave}, single=False)
    server = ModbusTcpServer(context, framer=ModbusSocketFramer, address=("127.0.0.1", port),
                             handler=CountingHandler, allow_reuse_address=True)
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    print("READY", flush=True)
    threading.Thread(target=command_loop, args=(slave,), daemon=True).start()
    await task


def main():
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, force=True)
    port = int(sys.argv[1])
    registers = [0] * 1000
    for assignment in sys.argv[2:]:
        address, value = assignment.split("=")
        registers[int(address)] = int(value)
    # zero_mode: protocol address N is block address N (without it pymodbus 3.0 adds 1).
    slave = ModbusSlaveContext(zero_mode=True, hr=ModbusSequentialDataBlock(0, registers))
    asyncio.run(serve(port, slave))


if __name__ == "__main__":
    main()
