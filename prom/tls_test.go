package prom_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/prom"
)

func pemCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// TestTLSClientCertificate reads from a server that requires a client
// certificate signed by its own CA: with --tls-cert/--tls-key it works,
// without them the handshake is refused and the read fails.
func TestTLSClientCertificate(t *testing.T) {
	dir := t.TempDir()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	clientKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	clientTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "chaosstat"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	clientDER, err := x509.CreateCertificate(rand.Reader, clientTmpl, caCert, &clientKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(clientKey)
	certFile, keyFile := filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem")
	os.WriteFile(certFile, pemCert(clientDER), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)

	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reply(w, 200, okMatrix) }))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	serverCA := filepath.Join(dir, "server-ca.pem")
	os.WriteFile(serverCA, pemCert(srv.Certificate().Raw), 0o600)

	c := newClient(t, prom.Config{Address: srv.URL, TLS: &prom.TLS{CAFile: serverCA, CertFile: certFile, KeyFile: keyFile}})
	if _, err := c.Range(context.Background(), "up", oneMinute); err != nil {
		t.Errorf("with the client certificate: %v", err)
	}
	c = newClient(t, prom.Config{Address: srv.URL, TLS: &prom.TLS{CAFile: serverCA}, Retry: quick})
	if _, err := c.Range(context.Background(), "up", oneMinute); !errors.Is(err, prom.ErrUnreachable) {
		t.Errorf("without it: %v; want ErrUnreachable (the handshake refused)", err)
	}
	// A key that does not match the certificate is refused in New.
	_, err = prom.New(prom.Config{Address: srv.URL, TLS: &prom.TLS{CertFile: certFile, KeyFile: serverCA}})
	if err == nil {
		t.Error("a mismatched key was accepted")
	}
}
