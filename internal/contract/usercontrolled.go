package contract

import "strings"

// userControlled lists the event paths whose values the end user chooses,
// as a path (the field and everything below it): a user may update their
// own user_metadata (Auth0 grants update:current_user_metadata to a user's
// own token, and apps let users edit their profiles), and every part of the
// request body and query string is the client's. The email address is the
// one the user typed at sign-up, so it is theirs at every trigger.
var userControlled = []string{
	"user.user_metadata",
	"request.body",
	"request.query",
	"user.email",
}

// UserControlled reports whether the value at the event path is one the end
// user can set: a read of it lets them choose what the action sees.
func UserControlled(path string) bool {
	for _, p := range userControlled {
		if path == p || strings.HasPrefix(path, p+".") {
			return true
		}
	}
	return false
}

// UserControlledReads returns the paths of c.Reads that the end user can
// set, in read order; never nil.
func (c Contract) UserControlledReads() []string {
	out := []string{}
	for _, p := range c.Reads {
		if UserControlled(p) {
			out = append(out, p)
		}
	}
	return out
}
