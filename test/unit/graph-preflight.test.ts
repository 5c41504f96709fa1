import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessClaims, CONSENTING_ROLE, decodeJwtPayload, GLOBAL_ADMINISTRATOR_ROLE } from '../../src/graph/preflight.js';

const jwt = (payload: object) => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

describe('preflight claims', () => {
  it('decodes a JWT payload without verifying; opaque tokens give undefined', () => {
    assert.deepEqual(decodeJwtPayload(jwt({ tid: 't', roles: ['a'] })), { tid: 't', roles: ['a'] });
    assert.equal(decodeJwtPayload('opaque-token'), undefined);
  });

  it('an application with both roles is fine', () => {
    const r = assessClaims({ tid: 'T', appid: 'A', idtyp: 'app', roles: ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'] }, 'apply', 'contoso');
    assert.deepEqual(r, { kind: 'application', tenant: 'T', appId: 'A', roles: ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'], scopes: [], missing: [] });
  });

  it('an application without roles misses both, named', () => {
    assert.deepEqual(assessClaims({ tid: 'T', appid: 'A' }, 'apply', 'c').missing, ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All']);
    assert.deepEqual(assessClaims({ roles: ['Application.Read.All'] }, 'apply', 'c').missing, ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All']);
  });

  it('a read-only drift check needs to read applications and to list grants: named by their least-privileged rights, never a write right', () => {
    assert.deepEqual(assessClaims({ roles: [] }, 'read', 'c').missing, ['Application.Read.All', 'Directory.Read.All']);
    assert.deepEqual(assessClaims({ roles: ['Application.Read.All'] }, 'read', 'c').missing, ['Directory.Read.All']);
    assert.deepEqual(assessClaims({ roles: ['Application.Read.All', 'Directory.Read.All'] }, 'read', 'c').missing, []);
    // Directory.Read.All alone reads applications too
    assert.deepEqual(assessClaims({ roles: ['Directory.Read.All'] }, 'read', 'c').missing, []);
    // apply's rights cover a read
    assert.deepEqual(assessClaims({ roles: ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'] }, 'read', 'c').missing, []);
  });

  it('users: the scopes (or Directory.AccessAsUser.All) and, to apply, a role that can grant consent', () => {
    const admin = { wids: [GLOBAL_ADMINISTRATOR_ROLE] };
    assert.deepEqual(assessClaims({ scp: 'User.Read Directory.AccessAsUser.All', upn: 'a@b', ...admin }, 'apply', 'c').missing, []);
    // Directory.AccessAsUser.All is what the user may do: a user without a role cannot grant consent
    assert.deepEqual(assessClaims({ scp: 'User.Read Directory.AccessAsUser.All', upn: 'a@b' }, 'apply', 'c').missing, [CONSENTING_ROLE]);
    assert.deepEqual(assessClaims({ scp: 'User.Read Directory.AccessAsUser.All', upn: 'a@b' }, 'read', 'c').missing, []);
    // a role does not widen the scopes the token carries
    assert.deepEqual(assessClaims({ scp: 'User.Read', upn: 'a@b', ...admin }, 'apply', 'c').missing, ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All']);
    const r = assessClaims({ scp: 'User.Read Application.ReadWrite.All', preferred_username: 'u@c' }, 'apply', 'c');
    assert.equal(r.kind, 'user');
    assert.equal(r.upn, 'u@c');
    assert.equal(r.tenant, 'c');
    assert.deepEqual(r.missing, ['DelegatedPermissionGrant.ReadWrite.All', CONSENTING_ROLE]);
  });
});
