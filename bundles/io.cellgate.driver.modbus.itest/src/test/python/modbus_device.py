#!/usr/bin/python3
"""A Modbus device served by Debian's pymodbus (3.0), for the driver's integration tests.

Values are encoded HERE with struct, independently of CellGate's RegisterCodec, so the tests compare
two implementations. Run with /usr/bin/python3 (Debian's pymodbus is importable only from there).

    modbus_device.py --spec SPEC.json (--tcp PORT | --rtu-over-tcp PORT | --rtu DEVICE [--baud N] [--parity N|E|O])

--rtu-over-tcp serves RTU frames (unit id, PDU, CRC; no MBAP header) on a TCP socket, like a serial
device server in raw mode.

SPEC.json: {"units": {"1": [entry, ...], ...}} where an entry is one of
    {"area": "hr", "address": 10, "registers": [1, 2, 3]}          raw registers ("hr" or "ir")
    {"area": "co", "address": 0, "bits": [true, false]}            raw bits ("co" or "di")
    {"area": "hr", "address": 20, "type": "FLOAT32", "value": 1.5,
     "byteOrder": "BIG_ENDIAN", "wordOrder": "HIGH_FIRST", "length": 0}  a typed value

Prints "READY" once it serves. Then answers one command per line on stdin, one line on stdout:
    COUNT                                   -> "COUNT <requests executed, all units> <fc>:<n> ..."
    GET <unit> <area> <address> <count>     -> "VALUES v1 v2 ..." (registers, or 0/1 for bits)
    GETTYPED <unit> <area> <address> <type> <byteOrder> <wordOrder> <length> -> "VALUE <repr>"
    SET <unit> <area> <address> v1 v2 ...   -> "OK"
"""
import argparse
import asyncio
import json
import logging
import struct
import sys
import threading

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.framer.rtu_framer import ModbusRtuFramer
from pymodbus.framer.socket_framer import ModbusSocketFramer
from pymodbus.server.async_io import (ModbusConnectedRequestHandler, ModbusSerialServer,
                                      ModbusSingleRequestHandler, ModbusTcpServer)

AREA_SIZE = 1000
# pymodbus' context function-code keys per area: coils 1, discrete inputs 2, holding 3, input 4.
AREA_FC = {"co": 1, "di": 2, "hr": 3, "ir": 4}
FORMATS = {"INT16": ">h", "UINT16": ">H", "INT32": ">i", "UINT32": ">I", "INT64": ">q",
           "FLOAT32": ">f", "FLOAT64": ">d"}

REQUESTS = [0]
BY_FUNCTION = {}
LOCK = threading.Lock()


def encode(entry):
    """Registers for a typed value: big-endian bytes, then word and byte order applied."""
    dtype = entry["type"]
    if dtype == "STRING":
        raw = entry["value"].encode("ascii")
        length = entry["length"]
        raw = raw.ljust(length + (length % 2), b"\0")
    else:
        raw = struct.pack(FORMATS[dtype], entry["value"])
    words = [raw[i:i + 2] for i in range(0, len(raw), 2)]
    if dtype != "STRING" and entry.get("wordOrder", "HIGH_FIRST") == "LOW_FIRST":
        words.reverse()
    if entry.get("byteOrder", "BIG_ENDIAN") == "LITTLE_ENDIAN":
        words = [w[::-1] for w in words]
    return [int.from_bytes(w, "big") for w in words]


def decode(registers, dtype, byte_order, word_order, length):
    words = [r.to_bytes(2, "big") for r in registers]
    if byte_order == "LITTLE_ENDIAN":
        words = [w[::-1] for w in words]
    if dtype == "STRING":
        return b"".join(words)[:length].rstrip(b"\0").decode("ascii")
    if word_order == "LOW_FIRST":
        words.reverse()
    return struct.unpack(FORMATS[dtype], b"".join(words))[0]


def registers_of(dtype, length):
    if dtype == "STRING":
        return (length + 1) // 2
    return struct.calcsize(FORMATS[dtype]) // 2


def build_context(spec):
    slaves = {}
    for unit, entries in spec["units"].items():
        blocks = {area: ModbusSequentialDataBlock(0, [0] * AREA_SIZE) for area in AREA_FC}
        for entry in entries:
            area = entry["area"]
            if "bits" in entry:
                values = [bool(b) for b in entry["bits"]]
            elif "registers" in entry:
                values = entry["registers"]
            else:
                values = encode(entry)
            blocks[area].setValues(entry["address"], values)
        # zero_mode: protocol address N is block address N (without it pymodbus 3.0 adds 1).
        slaves[int(unit)] = ModbusSlaveContext(zero_mode=True, **blocks)
    return ModbusServerContext(slaves=slaves, single=False)


def count_request(request):
    with LOCK:
        REQUESTS[0] += 1
        BY_FUNCTION[request.function_code] = BY_FUNCTION.get(request.function_code, 0) + 1


class CountingTcpHandler(ModbusConnectedRequestHandler):
    def execute(self, request, *addr):
        count_request(request)
        super().execute(request, *addr)


class CountingSerialHandler(ModbusSingleRequestHandler):
    def execute(self, request, *addr):
        count_request(request)
        super().execute(request, *addr)


def command_loop(context):
    """Serves the test's commands. Datastore calls are atomic enough under the GIL for tests."""
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        try:
            cmd = parts[0]
            if cmd == "COUNT":
                with LOCK:
                    functions = " ".join(f"{fc}:{n}" for fc, n in sorted(BY_FUNCTION.items()))
                    reply = f"COUNT {REQUESTS[0]} {functions}".rstrip()
            elif cmd == "GET":
                unit, area, address, count = int(parts[1]), parts[2], int(parts[3]), int(parts[4])
                values = context[unit].getValues(AREA_FC[area], address, count)
                reply = "VALUES " + " ".join(str(int(v)) for v in values)
            elif cmd == "GETTYPED":
                unit, area, address = int(parts[1]), parts[2], int(parts[3])
                dtype, byte_order, word_order, length = parts[4], parts[5], parts[6], int(parts[7])
                regs = context[unit].getValues(AREA_FC[area], address, registers_of(dtype, length))
                reply = "VALUE " + repr(decode(regs, dtype, byte_order, word_order, length))
            elif cmd == "SET":
                unit, area, address = int(parts[1]), parts[2], int(parts[3])
                values = [int(v) for v in parts[4:]]
                if area in ("co", "di"):
                    values = [bool(v) for v in values]
                context[unit].setValues(AREA_FC[area], address, values)
                reply = "OK"
            else:
                reply = f"ERROR unknown command {cmd}"
        except Exception as exc:  # the test reads the error instead of hanging
            reply = f"ERROR {exc!r}"
        print(reply, flush=True)


async def serve(args, context):
    if args.tcp or args.rtu_over_tcp:
        framer = ModbusSocketFramer if args.tcp else ModbusRtuFramer
        server = ModbusTcpServer(context, framer=framer, address=("127.0.0.1", args.tcp or args.rtu_over_tcp),
                                 handler=CountingTcpHandler, allow_reuse_address=True)
        task = asyncio.create_task(server.serve_forever())
        await server.serving
    else:
        server = ModbusSerialServer(context, framer=ModbusRtuFramer, port=args.rtu, baudrate=args.baud,
                                    parity=args.parity, bytesize=8, stopbits=1, timeout=0.05,
                                    handler=CountingSerialHandler)
        await server.start()
        if server.transport is None:
            raise SystemExit(f"cannot open serial port {args.rtu}")
        task = asyncio.create_task(server.serve_forever())
    threading.Thread(target=command_loop, args=(context,), daemon=True).start()
    print("READY", flush=True)
    await task


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", required=True)
    parser.add_argument("--tcp", type=int)
    parser.add_argument("--rtu-over-tcp", type=int)
    parser.add_argument("--rtu")
    parser.add_argument("--baud", type=int, default=19200)
    parser.add_argument("--parity", default="N")
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, stream=sys.stderr,
                        force=True)
    with open(args.spec, encoding="utf-8") as file:
        context = build_context(json.load(file))
    asyncio.run(serve(args, context))


if __name__ == "__main__":
    main()
