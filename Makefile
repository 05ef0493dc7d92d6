# Two commands do all set-up: `make run` and `make test`. See README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 3
INSTALLED := $(VENV)/.installed

.PHONY: run dev test check bench install tools clean messages

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	  print('\\n'.join(p['dependencies'] + p['optional-dependencies']['dev']))" > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	touch $@

install: $(INSTALLED)

# The checkers the browser tests use: Nu HTML Checker and axe-core (npm), Chromium (Debian);
# and redis-server (Debian) for the shared-cache tests.
tools:
	npm install --silent --no-audit --no-fund --prefix .tools vnu-jar axe-core
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium)
	# Japanese glyphs, so screenshots of Japanese pages show text rather than empty boxes.
	fc-list | grep -qi ipagothic || (apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-ipafont-gothic)
	command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq --no-install-recommends default-jre-headless)
	# A throwaway Redis for the tests of the cache shared by several servers.
	command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server)

# The Japanese catalogue: refresh locale/ja from the code, then compile it (GNU gettext).
# Both files are committed, so a fresh machine needs neither gettext nor this step.
messages: $(INSTALLED)
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l ja --no-location --no-obsolete \
	  --ignore=.venv --ignore=.tools --ignore=staticfiles --ignore=bench --ignore=media --ignore=tests
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages -l ja --ignore=.venv

# A local secret key, made once, so `make run` serves with DEBUG off like production.
.secret-key:
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

# The addresses commands print (admin login, imported meetings) follow PORT.
run dev: export PORTAL_BASE_URL ?= http://127.0.0.1:$(PORT)
# A first run on one's own machine signs in with the printed password alone; production
# (deploy/env.example) asks publishers for a second factor. PORTAL_TWO_FACTOR_REQUIRED=publishers
# make run tries that here.
run: export PORTAL_TWO_FACTOR_REQUIRED ?= off

# The settings read the secret key from .secret-key (DJANGO_SECRET_KEY_FILE).
run: $(INSTALLED) .secret-key
	@sh -ec '\
	    $(BIN)/python manage.py migrate --noinput -v 0; \
	    $(BIN)/python manage.py collectstatic --noinput -v0; \
	    $(BIN)/python manage.py load_demo $(if $(DEMO_PEOPLE),--people); \
	    $(BIN)/python manage.py ensure_admin --url http://127.0.0.1:$(PORT)/admin/; \
	    echo "Two-factor sign-in: PORTAL_TWO_FACTOR_REQUIRED=$$PORTAL_TWO_FACTOR_REQUIRED (README, “Two-factor sign-in”)"; \
	    echo "Serving http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"; \
	    exec $(BIN)/gunicorn -c portal/gunicorn.conf.py portal.wsgi \
	      --bind 127.0.0.1:$(PORT) --workers $(WORKERS)'

# Django's development server, with DEBUG on and reloading.
dev: $(INSTALLED)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput -v 0
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo --people
	DJANGO_DEBUG=1 $(BIN)/python manage.py ensure_admin --url http://127.0.0.1:$(PORT)/admin/
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

TEST_ENV := DJANGO_SECRET_KEY=insecure-test-key DATABASE_CONN_MAX_AGE=0 \
	DJANGO_STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage

# pytest exits 5 when it collected no test: that is a broken suite, not a pass.
test: $(INSTALLED)
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS); \
	  status=$$?; if [ $$status -eq 5 ]; then echo "no tests ran" >&2; exit 1; fi; exit $$status

check: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/python manage.py check --fail-level WARNING
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	# Django's deployment checks under deploy/env.example's production variables.
	PYTHON=$(BIN)/python deploy/check-deploy

# Benchmarks (see bench/README.md): importing, then our pages against Wagtail's.
bench: $(INSTALLED)
	$(BIN)/python bench/import_bench.py
	test -x .bench-venv/bin/python || $(PYTHON) -m venv .bench-venv
	.bench-venv/bin/python -m pip install --quiet -r bench/requirements.txt
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	.bench-venv/bin/python bench/compare.py

clean:
	rm -rf $(VENV) .tools staticfiles *.egg-info .pytest_cache
