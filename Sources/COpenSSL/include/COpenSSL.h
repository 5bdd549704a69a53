// The OpenSSL API pcmock uses (resolved at run time: OpenSSLLoader.c), plus static inline wrappers for the macros Swift cannot import
// (function-like macros over SSL_CTX_ctrl/BIO_ctrl, and 64-bit option constants built from casts).
#ifndef PCMOCK_COPENSSL_H
#define PCMOCK_COPENSSL_H

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static inline int pcmock_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int pcmock_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

/// The server's options: no renegotiation (a client-driven CPU sink, and it would make writes
/// wait on reads), no compression (CRIME), the server's cipher order, and a TCP close without
/// close_notify read as an end of stream, as most HTTP clients close that way.
static inline void pcmock_SSL_CTX_set_server_options(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE
                                 | SSL_OP_IGNORE_UNEXPECTED_EOF);
}

/// Non-blocking writes: a retry may pass a moved (grown) buffer, and a write may complete in part.
/// Idle connections give their record buffers back.
static inline void pcmock_SSL_CTX_set_nonblocking_modes(SSL_CTX *ctx) {
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
                              | SSL_MODE_RELEASE_BUFFERS);
}

static inline int pcmock_SSL_CTX_add0_chain_cert(SSL_CTX *ctx, X509 *cert) {
    return (int)SSL_CTX_add0_chain_cert(ctx, cert);
}

static inline int pcmock_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

static inline long pcmock_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

/// A new P-256 key (`EVP_EC_gen("P-256")`, a macro over a variadic function).
EVP_PKEY *pcmock_EVP_EC_gen_P256(void);

/// 1 when libssl.so.3 can be loaded (it is loaded on the first call of an OpenSSL function).
int pcmock_openssl_available(void);

static inline void pcmock_X509V3_set_ctx_nodb(X509V3_CTX *ctx) {
    X509V3_set_ctx_nodb(ctx);
}

#endif
