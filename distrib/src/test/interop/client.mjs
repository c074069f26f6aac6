// An independent OPC UA client (node-opcua, not Milo) against a running CellGate.
// Usage: node client.mjs <step> <endpointUrl> <pkiDir> <serverCertDer> [user] [password]
// Steps (exit 0 = the step behaved as the gateway promises, 1 = it did not):
//   untrusted  - our certificate is not trusted yet: the connection must be refused
//   endpoints  - GetEndpoints over the discovery endpoint: only the three secure policies, Sign or
//                SignAndEncrypt, user name or certificate tokens; None only at /discovery
//   badpass    - a wrong password must be refused
//   session    - for each secure policy: SignAndEncrypt + user name, read a live value Good,
//                write the demo setpoint and read it back, a read-only tag refuses the write
import opcua from "node-opcua-client";
import certificates from "node-opcua-certificate-manager";
import { readFileSync } from "node:fs";

const { OPCUAClient, MessageSecurityMode, SecurityPolicy, AttributeIds, UserTokenType, DataType, StatusCodes } = opcua;
const { OPCUACertificateManager } = certificates;

const [step, url, pkiDir, serverCertDer, user, password] = process.argv.slice(2);

function fail(msg) { console.error(`FAIL ${step}: ${msg}`); process.exit(1); }
function ok(msg) { console.log(`ok   ${step}: ${msg}`); }

async function certificateManager() {
  // Trust goes both ways: the gateway's certificate is trusted explicitly, nothing unknown is accepted.
  const cm = new OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: false });
  await cm.initialize();
  await cm.trustCertificate(readFileSync(serverCertDer));
  return cm;
}

async function open(policy, mode, identity) {
  const client = OPCUAClient.create({
    applicationName: "CellGate interop client",
    applicationUri: "urn:cellgate:interop:node-opcua",
    clientCertificateManager: await certificateManager(),
    securityPolicy: policy,
    securityMode: mode,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    requestedSessionTimeout: 30000,
  });
  try {
    await client.connect(url);
  } catch (e) {
    await client.disconnect().catch(() => {});
    throw new Error(`connect: ${e.message}`);
  }
  try {
    const session = await client.createSession(identity);
    return { client, session };
  } catch (e) {
    await client.disconnect().catch(() => {});
    throw new Error(`session: ${e.message}`);
  }
}

const userIdentity = { type: UserTokenType.UserName, userName: user, password };

async function expectRefused(policy, mode, identity, what) {
  let opened;
  try {
    opened = await open(policy, mode, identity);
  } catch (e) {
    ok(`${what} refused (${e.message.split("\n")[0]})`);
    return;
  }
  await opened.session.close().catch(() => {});
  await opened.client.disconnect().catch(() => {});
  fail(`${what} was accepted`);
}

async function nodeId(session, path) {
  const ns = await session.read({ nodeId: "ns=0;i=2255", attributeId: AttributeIds.Value });
  const index = ns.value.value.indexOf("urn:cellgate:cell");
  if (index < 0) fail(`namespace urn:cellgate:cell not in ${ns.value.value}`);
  return `ns=${index};s=${path}`;
}

async function session(policy) {
  const { client, session } = await open(policy, MessageSecurityMode.SignAndEncrypt, userIdentity);
  try {
    const speed = await nodeId(session, "demo/vfd-1/motor_speed");
    const v = await session.read({ nodeId: speed, attributeId: AttributeIds.Value });
    if (!v.statusCode.equals(StatusCodes.Good)) fail(`${policy}: motor_speed is ${v.statusCode.name}`);
    const ref = await nodeId(session, "demo/vfd-1/speed_reference");
    const dt = await session.read({ nodeId: ref, attributeId: AttributeIds.DataType });
    const target = 600 + Math.floor(Math.random() * 300);
    const dataType = DataType[dt.value.value.value] !== undefined ? dt.value.value.value : DataType.Double;
    const status = await session.write({
      nodeId: ref, attributeId: AttributeIds.Value,
      value: { value: { dataType, value: target } },
    });
    if (!status.equals(StatusCodes.Good)) fail(`${policy}: write speed_reference=${target} gave ${status.name}`);
    let back;
    for (let i = 0; i < 50; i++) {
      back = await session.read({ nodeId: ref, attributeId: AttributeIds.Value });
      if (Number(back.value.value) === target) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (Number(back.value.value) !== target) fail(`${policy}: read back ${back.value.value}, wrote ${target}`);
    const denied = await session.write({
      nodeId: speed, attributeId: AttributeIds.Value,
      value: { value: { dataType: v.value.dataType, value: v.value.value } },
    });
    if (denied.equals(StatusCodes.Good)) fail(`${policy}: write to read-only motor_speed was accepted`);
    ok(`${policy}/SignAndEncrypt as ${user}: motor_speed=${v.value.value} Good, wrote speed_reference=${target}, read back ${back.value.value}, read-only write refused (${denied.name})`);
  } finally {
    await session.close().catch(() => {});
    await client.disconnect().catch(() => {});
  }
}

async function endpoints() {
  const client = OPCUAClient.create({
    applicationName: "CellGate interop client",
    applicationUri: "urn:cellgate:interop:node-opcua",
    clientCertificateManager: await certificateManager(),
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
  });
  await client.connect(url + "/discovery");
  const list = await client.getEndpoints();
  await client.disconnect();
  const secure = new Set([SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss]);
  const seen = [];
  for (const e of list) {
    const mode = MessageSecurityMode[e.securityMode];
    const tokens = (e.userIdentityTokens || []).map((t) => UserTokenType[t.tokenType]);
    seen.push(`${e.endpointUrl} ${e.securityPolicyUri.split("#")[1]}/${mode} [${tokens}]`);
    if (e.endpointUrl.endsWith("/discovery")) {
      if (tokens.length > 0) fail(`the discovery endpoint offers sessions: ${tokens}`);
      continue;
    }
    if (!secure.has(e.securityPolicyUri)) fail(`insecure or deprecated policy offered: ${e.securityPolicyUri}`);
    if (mode !== "Sign" && mode !== "SignAndEncrypt") fail(`security mode ${mode} offered on ${e.endpointUrl}`);
    if (tokens.includes("Anonymous")) fail(`anonymous access offered on ${e.endpointUrl}`);
  }
  if (seen.filter((s) => !s.includes("/discovery")).length !== 6) fail(`expected 3 policies x 2 modes, got ${seen.join("; ")}`);
  ok(`${list.length} endpoints: ${seen.join("; ")}`);
}

try {
  switch (step) {
    case "untrusted":
      await expectRefused(SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, userIdentity, "untrusted client certificate");
      break;
    case "endpoints":
      await endpoints();
      break;
    case "badpass":
      await expectRefused(SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt,
        { type: UserTokenType.UserName, userName: user, password: password + "x" }, "wrong password");
      break;
    case "session":
      for (const p of [SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss]) {
        await session(p);
      }
      break;
    default:
      fail(`unknown step ${step}`);
  }
  process.exit(0);
} catch (e) {
  fail(e.stack || e.message);
}
