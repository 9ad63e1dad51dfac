package mgmtstub

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/auth0/go-auth0/management"
)

// DefaultBuildTime is how long a build takes unless Options.BuildTime says
// otherwise. The recordings show about 16 s with dependencies and under a
// second without; tests shorten it.
const DefaultBuildTime = 2 * time.Second

// buildAttempts is how often a build tries to install the dependencies
// before it fails: the recording of a dependency npm cannot install shows
// building and retrying alternating three times, then failed.
const buildAttempts = 3

// Dependency is an npm package an action declares.
type Dependency struct {
	Name, Version string
}

// Installer installs dependencies into dir/node_modules, as Auth0's build
// does from the public npm registry; its error says why one could not be
// installed.
type Installer interface {
	Install(ctx context.Context, dir string, deps []Dependency) error
}

// rebuild starts a build of a's draft, superseding any build still running
// (its result is dropped). The caller holds the lock.
//
// The draft is "pending" until the build starts (a tenth of the build
// time), "building" while it installs the dependencies (at least another
// tenth) and until the build time has passed, "retrying" for a tenth
// between failed attempts, then "built" or, after buildAttempts failed
// installs, "failed". The order of the states is
// recorded; how the build time divides between them is a guess.
func (s *Server) rebuild(a *action) {
	a.gen++
	a.status, a.modules = management.ActionStatusPending, ""
	gen, id := a.gen, a.id
	deps := make([]Dependency, len(a.deps))
	for i, d := range a.deps {
		deps[i] = Dependency{Name: d.GetName(), Version: d.GetVersion()}
	}
	dir := filepath.Join(s.buildDir, id, strconv.Itoa(gen))
	s.builds.Add(1)
	go func() {
		defer s.builds.Done()
		s.build(id, gen, dir, deps)
	}()
}

// build runs one build of action id's draft generation gen into dir.
func (s *Server) build(id string, gen int, dir string, deps []Dependency) {
	bt := s.opts.BuildTime
	done := time.Now().Add(bt)
	if !s.pause(bt / 10) {
		return
	}
	s.setStatus(id, gen, management.ActionStatusBuilding, "", "")
	var err error
	for attempt := 1; attempt <= buildAttempts; attempt++ {
		err = s.install(dir, deps)
		if !s.pause(bt / 10) {
			return
		}
		if err == nil || attempt == buildAttempts {
			break
		}
		s.setStatus(id, gen, management.ActionStatusRetrying, "", "")
		if !s.pause(bt / 10) {
			return
		}
		s.setStatus(id, gen, management.ActionStatusBuilding, "", "")
	}
	if !s.pause(time.Until(done)) {
		return
	}
	if err != nil {
		s.setStatus(id, gen, management.ActionStatusFailed, "", err.Error())
		return
	}
	s.setStatus(id, gen, management.ActionStatusBuilt, filepath.Join(dir, "node_modules"), "")
}

// install installs deps into dir, a new folder each attempt.
func (s *Server) install(dir string, deps []Dependency) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "node_modules"), 0o755); err != nil {
		return err
	}
	if len(deps) == 0 {
		return nil
	}
	if s.opts.Installer == nil {
		return errors.New("the stand-in has no installer (Options.Installer)")
	}
	return s.opts.Installer.Install(s.ctx, dir, deps)
}

// pause waits d, and reports false when the stand-in closed meanwhile.
func (s *Server) pause(d time.Duration) bool {
	if d <= 0 {
		return s.ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// setStatus sets action id's build status (and, once built, its
// node_modules; once failed, why) unless a later change superseded build
// gen.
func (s *Server) setStatus(id string, gen int, status, modules, failure string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.state.byID(id); ok && a.gen == gen {
		a.status, a.modules, a.failure = status, modules, failure
	}
}

// BuildFailure returns why the last build of the action called name
// failed ("" when it did not), as Auth0's UI shows it.
func (s *Server) BuildFailure(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.state.byName(name); ok {
		return a.failure
	}
	return ""
}

// notBuilt answers 400 as Auth0 does on deploying a draft that is not
// built (verb "deployed"), and reports whether it did. The body having no
// errorCode, and refusing "test an action" on such a draft the same way
// (verb "tested"), are guesses.
func notBuilt(w http.ResponseWriter, a *action, verb string) bool {
	if a.status == management.ActionStatusBuilt {
		return false
	}
	writeError(w, http.StatusBadRequest, "", "A draft must be in the 'built' state before it can be "+verb+".")
	return true
}
