// OpenSSL, loaded when the first TLS function is called instead of linked: pcmock serves plain
// http unless asked for https, and linking libssl/libcrypto cost every start-up their
// relocations (~25,000, most of the dynamic loader's time) and ~1.7 MB of resident pages.
//
// Each function pcmock calls is defined here under OpenSSL's own name, so Swift code calls it
// as usual; the definition resolves the real one from libssl.so.3 (and libcrypto.so.3 through
// it) on first use. Hidden visibility keeps these definitions out of the executable's dynamic
// symbol table, so libssl and libcrypto never bind their own calls to them.
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

// After the C library's headers: its functions must stay default-visibility references.
#pragma GCC visibility push(hidden)

#include "COpenSSL.h"

static void *library;
static pthread_once_t library_once = PTHREAD_ONCE_INIT;

static void load_library(void) {
    library = dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL);
}

int pcmock_openssl_available(void) {
    pthread_once(&library_once, load_library);
    return library != NULL;
}

/// The OpenSSL function `name`. Without libssl.so.3 there is no way to go on: the caller asked
/// for https (pcmock_openssl_available() lets callers check first).
static void *symbol(const char *name) {
    if (!pcmock_openssl_available()) {
        fprintf(stderr, "pcmock: https needs OpenSSL 3 (libssl.so.3): %s\n", dlerror());
        abort();
    }
    void *address = dlsym(library, name);
    if (address == NULL) {
        fprintf(stderr, "pcmock: libssl.so.3 lacks %s\n", name);
        abort();
    }
    return address;
}

// The address is looked up once per function; a race between two first calls stores the same
// value twice.
#define PCMOCK_RESOLVE(name, type)                                                            \
    static _Atomic(type) resolved;                                                            \
    type function = atomic_load_explicit(&resolved, memory_order_acquire);                   \
    if (function == NULL) {                                                                   \
        function = (type)symbol(#name);                                                       \
        atomic_store_explicit(&resolved, function, memory_order_release);                    \
    }

#define PCMOCK_FORWARD(ret, name, params, args)                                               \
    ret name params {                                                                         \
        typedef ret(*name##_type) params;                                                     \
        PCMOCK_RESOLVE(name, name##_type)                                                     \
        return function args;                                                                 \
    }

#define PCMOCK_FORWARD_VOID(name, params, args)                                               \
    void name params {                                                                        \
        typedef void(*name##_type) params;                                                    \
        PCMOCK_RESOLVE(name, name##_type)                                                     \
        function args;                                                                        \
    }

PCMOCK_FORWARD(long, BIO_ctrl, (BIO *bp, int cmd, long larg, void *parg), (bp, cmd, larg, parg))
PCMOCK_FORWARD(int, BIO_free, (BIO *a), (a))
PCMOCK_FORWARD(BIO *, BIO_new, (const BIO_METHOD *type), (type))
PCMOCK_FORWARD(BIO *, BIO_new_mem_buf, (const void *buf, int len), (buf, len))
PCMOCK_FORWARD(const BIO_METHOD *, BIO_s_mem, (void), ())
PCMOCK_FORWARD(BIGNUM *, BN_bin2bn, (const unsigned char *s, int len, BIGNUM *ret), (s, len, ret))
PCMOCK_FORWARD_VOID(BN_free, (BIGNUM *a), (a))
PCMOCK_FORWARD(ASN1_INTEGER *, BN_to_ASN1_INTEGER, (const BIGNUM *bn, ASN1_INTEGER *ai), (bn, ai))
PCMOCK_FORWARD_VOID(ERR_clear_error, (void), ())
PCMOCK_FORWARD_VOID(ERR_error_string_n, (unsigned long e, char *buf, size_t len), (e, buf, len))
PCMOCK_FORWARD(unsigned long, ERR_get_error, (void), ())
PCMOCK_FORWARD_VOID(EVP_PKEY_free, (EVP_PKEY *pkey), (pkey))
PCMOCK_FORWARD(const EVP_MD *, EVP_sha256, (void), ())
PCMOCK_FORWARD(EVP_PKEY *, PEM_read_bio_PrivateKey, (BIO *out, EVP_PKEY **x, pem_password_cb *cb, void *u), (out, x, cb, u))
PCMOCK_FORWARD(X509 *, PEM_read_bio_X509, (BIO *out, X509 **x, pem_password_cb *cb, void *u), (out, x, cb, u))
PCMOCK_FORWARD(int, PEM_write_bio_PrivateKey, (BIO *out, const EVP_PKEY *x, const EVP_CIPHER *enc, const unsigned char *kstr, int klen, pem_password_cb *cb, void *u), (out, x, enc, kstr, klen, cb, u))
PCMOCK_FORWARD(int, PEM_write_bio_X509, (BIO *out, const X509 *x), (out, x))
PCMOCK_FORWARD(int, RAND_bytes, (unsigned char *buf, int num), (buf, num))
PCMOCK_FORWARD(int, SSL_CTX_check_private_key, (const SSL_CTX *ctx), (ctx))
PCMOCK_FORWARD(long, SSL_CTX_ctrl, (SSL_CTX *ctx, int cmd, long larg, void *parg), (ctx, cmd, larg, parg))
PCMOCK_FORWARD_VOID(SSL_CTX_free, (SSL_CTX *ctx), (ctx))
PCMOCK_FORWARD(X509_STORE *, SSL_CTX_get_cert_store, (const SSL_CTX *ctx), (ctx))
PCMOCK_FORWARD(SSL_CTX *, SSL_CTX_new, (const SSL_METHOD *meth), (meth))
PCMOCK_FORWARD(int, SSL_CTX_set_cipher_list, (SSL_CTX *ctx, const char *str), (ctx, str))
PCMOCK_FORWARD(uint64_t, SSL_CTX_set_options, (SSL_CTX *ctx, uint64_t op), (ctx, op))
PCMOCK_FORWARD_VOID(SSL_CTX_set_security_level, (SSL_CTX *ctx, int level), (ctx, level))
PCMOCK_FORWARD_VOID(SSL_CTX_set_verify, (SSL_CTX *ctx, int mode, SSL_verify_cb callback), (ctx, mode, callback))
PCMOCK_FORWARD(int, SSL_CTX_use_PrivateKey, (SSL_CTX *ctx, EVP_PKEY *pkey), (ctx, pkey))
PCMOCK_FORWARD(int, SSL_CTX_use_certificate, (SSL_CTX *ctx, X509 *x), (ctx, x))
PCMOCK_FORWARD(int, SSL_connect, (SSL *ssl), (ssl))
PCMOCK_FORWARD(long, SSL_ctrl, (SSL *ssl, int cmd, long larg, void *parg), (ssl, cmd, larg, parg))
PCMOCK_FORWARD_VOID(SSL_free, (SSL *ssl), (ssl))
PCMOCK_FORWARD(int, SSL_get_error, (const SSL *s, int ret_code), (s, ret_code))
PCMOCK_FORWARD(const char *, SSL_get_version, (const SSL *s), (s))
PCMOCK_FORWARD(int, SSL_has_pending, (const SSL *s), (s))
PCMOCK_FORWARD(int, SSL_is_init_finished, (const SSL *s), (s))
PCMOCK_FORWARD(SSL *, SSL_new, (SSL_CTX *ctx), (ctx))
PCMOCK_FORWARD(int, SSL_read, (SSL *ssl, void *buf, int num), (ssl, buf, num))
PCMOCK_FORWARD(int, SSL_set1_host, (SSL *s, const char *hostname), (s, hostname))
PCMOCK_FORWARD_VOID(SSL_set_accept_state, (SSL *s), (s))
PCMOCK_FORWARD(int, SSL_set_fd, (SSL *s, int fd), (s, fd))
PCMOCK_FORWARD(int, SSL_shutdown, (SSL *s), (s))
PCMOCK_FORWARD(int, SSL_write, (SSL *ssl, const void *buf, int num), (ssl, buf, num))
PCMOCK_FORWARD(const SSL_METHOD *, TLS_client_method, (void), ())
PCMOCK_FORWARD(const SSL_METHOD *, TLS_server_method, (void), ())
PCMOCK_FORWARD(X509_EXTENSION *, X509V3_EXT_nconf_nid, (CONF *conf, X509V3_CTX *ctx, int ext_nid, const char *value), (conf, ctx, ext_nid, value))
PCMOCK_FORWARD_VOID(X509V3_set_ctx, (X509V3_CTX *ctx, X509 *issuer, X509 *subject, X509_REQ *req, X509_CRL *crl, int flags), (ctx, issuer, subject, req, crl, flags))
PCMOCK_FORWARD_VOID(X509_EXTENSION_free, (X509_EXTENSION *a), (a))
PCMOCK_FORWARD(int, X509_NAME_add_entry_by_txt, (X509_NAME *name, const char *field, int type, const unsigned char *bytes, int len, int loc, int set), (name, field, type, bytes, len, loc, set))
PCMOCK_FORWARD(int, X509_STORE_add_cert, (X509_STORE *ctx, X509 *x), (ctx, x))
PCMOCK_FORWARD(int, X509_add_ext, (X509 *x, X509_EXTENSION *ex, int loc), (x, ex, loc))
PCMOCK_FORWARD_VOID(X509_free, (X509 *a), (a))
PCMOCK_FORWARD(ASN1_INTEGER *, X509_get_serialNumber, (X509 *x), (x))
PCMOCK_FORWARD(X509_NAME *, X509_get_subject_name, (const X509 *a), (a))
PCMOCK_FORWARD(ASN1_TIME *, X509_getm_notAfter, (const X509 *x), (x))
PCMOCK_FORWARD(ASN1_TIME *, X509_getm_notBefore, (const X509 *x), (x))
PCMOCK_FORWARD(ASN1_TIME *, X509_gmtime_adj, (ASN1_TIME *s, long adj), (s, adj))
PCMOCK_FORWARD(X509 *, X509_new, (void), ())
PCMOCK_FORWARD(int, X509_set_issuer_name, (X509 *x, const X509_NAME *name), (x, name))
PCMOCK_FORWARD(int, X509_set_pubkey, (X509 *x, EVP_PKEY *pkey), (x, pkey))
PCMOCK_FORWARD(int, X509_set_version, (X509 *x, long version), (x, version))
PCMOCK_FORWARD(int, X509_sign, (X509 *x, EVP_PKEY *pkey, const EVP_MD *md), (x, pkey, md))

EVP_PKEY *pcmock_EVP_EC_gen_P256(void) {
    typedef EVP_PKEY *(*keygen_type)(OSSL_LIB_CTX *, const char *, const char *, ...);
    PCMOCK_RESOLVE(EVP_PKEY_Q_keygen, keygen_type)
    return function(NULL, NULL, "EC", "P-256");
}

#pragma GCC visibility pop
