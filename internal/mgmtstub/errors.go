package mgmtstub

import (
	"encoding/json"
	"net/http"
)

// apiError is Auth0's error body.
type apiError struct {
	StatusCode int    `json:"statusCode"`
	Error      string `json:"error"`
	Message    string `json:"message"`
	ErrorCode  string `json:"errorCode,omitempty"`
}

// writeError answers with Auth0's error body.
func writeError(w http.ResponseWriter, status int, errorCode, message string) {
	writeJSON(w, status, apiError{StatusCode: status, Error: http.StatusText(status), Message: message, ErrorCode: errorCode})
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		data = []byte(`{"statusCode":500,"error":"Internal Server Error","message":"stand-in: the answer did not encode as JSON"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(data) // the client went away: nothing to do
}

func notFound(w http.ResponseWriter, what string) {
	writeError(w, http.StatusNotFound, "", what)
}

func badRequest(w http.ResponseWriter, message string) {
	writeError(w, http.StatusBadRequest, "invalid_body", message)
}
