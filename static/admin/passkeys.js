// Once django-otp-webauthn's script has registered a passkey, show the page that lists it
// (the data-passkey-next address of the registration's block).
document.addEventListener("otp_webauthn.register_complete", (event) => {
  const block = event.target.closest("[data-passkey-next]");
  window.location.assign(block ? block.dataset.passkeyNext : window.location.href);
});
