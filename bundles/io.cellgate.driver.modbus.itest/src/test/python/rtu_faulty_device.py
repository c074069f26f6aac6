#!/usr/bin/python3
"""A Modbus RTU device on a serial line (one end of a pty pair) whose responses can be corrupted.

    rtu_faulty_device.py (--port DEVICE | --tcp PORT) [--unit 1]

With --tcp the same frames go over a TCP socket on 127.0.0.1:PORT (RTU over TCP, one client at a time).

Answers read holding/input registers (FC 3/4) with register value 1000 + address ("good"), or, in
mode "crc", with 0x7700 + address ("poison") and a wrong CRC. Prints READY once the port is open.
Frames for other units are not answered (like a missing device). Commands on stdin, one reply line
each: "MODE ok|crc" -> "OK", "COUNT" -> "COUNT <requests>", "QUIET" -> "QUIET <unanswered frames>
<shortest silence in ms between the end of an unanswered frame and the start of the next frame, or -1>".
Plain Python (no pymodbus), so the frame on the wire is exactly what this script builds.
"""
import argparse
import os
import socket
import struct
import sys
import termios
import threading
import time
import tty

MODE = ["ok"]
REQUESTS = [0]
UNANSWERED = [0]
SHORTEST_QUIET = [None]


def crc16(data):
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def read_exactly(fd, count):
    data = b""
    while len(data) < count:
        chunk = os.read(fd, count - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def serve(fd, unit):
    unanswered_end = None
    while True:
        first = read_exactly(fd, 1)
        started = time.monotonic()
        request = first + read_exactly(fd, 7)  # unit, fc, address, quantity, crc: all reads are 8 bytes
        if unanswered_end is not None:
            quiet = (started - unanswered_end) * 1000
            print(f"quiet {quiet:.1f} ms before a frame to unit {request[0]}", file=sys.stderr, flush=True)
            if SHORTEST_QUIET[0] is None or quiet < SHORTEST_QUIET[0]:
                SHORTEST_QUIET[0] = quiet
            unanswered_end = None
        if crc16(request[:6]) != struct.unpack("<H", request[6:])[0]:
            continue  # a real device ignores a frame with a bad CRC
        if request[0] != unit:
            UNANSWERED[0] += 1
            unanswered_end = time.monotonic()
            continue
        REQUESTS[0] += 1
        fc = request[1]
        address, quantity = struct.unpack(">HH", request[2:6])
        if fc not in (3, 4):
            pdu = bytes([fc | 0x80, 1])
        else:
            base = 0x7700 if MODE[0] == "crc" else 1000
            pdu = bytes([fc, 2 * quantity]) + b"".join(
                struct.pack(">H", base + address + i) for i in range(quantity))
        frame = bytes([unit]) + pdu
        crc = crc16(frame)
        if MODE[0] == "crc":
            crc ^= 0xFFFF
        os.write(fd, frame + struct.pack("<H", crc))


def commands():
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "MODE" and len(parts) == 2 and parts[1] in ("ok", "crc"):
            MODE[0] = parts[1]
            print("OK", flush=True)
        elif parts[0] == "QUIET":
            quiet = -1 if SHORTEST_QUIET[0] is None else round(SHORTEST_QUIET[0], 1)
            print(f"QUIET {UNANSWERED[0]} {quiet}", flush=True)
        elif parts[0] == "COUNT":
            print(f"COUNT {REQUESTS[0]}", flush=True)
        else:
            print(f"ERROR unknown command {line.strip()}", flush=True)


def serve_tcp(port, unit):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(1)
    threading.Thread(target=commands, daemon=True).start()
    print("READY", flush=True)
    while True:
        conn, _ = listener.accept()
        with conn:  # keeps the socket (and its fd) alive while serve() reads it
            try:
                serve(conn.fileno(), unit)
            except (EOFError, ConnectionError):
                pass  # the client went away; wait for the next one


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port")
    parser.add_argument("--tcp", type=int)
    parser.add_argument("--unit", type=int, default=1)
    parser.add_argument("--mode", default="ok")
    args = parser.parse_args()
    MODE[0] = args.mode
    if args.tcp:
        serve_tcp(args.tcp, args.unit)
        return
    fd = os.open(args.port, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd, termios.TCSANOW)
    threading.Thread(target=commands, daemon=True).start()
    print("READY", flush=True)
    try:
        serve(fd, args.unit)
    except EOFError:
        pass


if __name__ == "__main__":
    main()
