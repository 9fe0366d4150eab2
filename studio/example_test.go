package studio_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/strand-tn/strand/studio"
)

// A studio answers the page's requests; here one asks for the drawing of
// the seed's contraction and reads which tensors were drawn and the order
// in which they are contracted.
func Example() {
	s, err := studio.New(studio.Options{})
	if err != nil {
		panic(err)
	}
	body := strings.NewReader(`{"text": "dim i=2 α=3 β=4 j=5\nM[i j] = A[i α β] v[β] B[β α j]"}`)
	r := httptest.NewRequest(http.MethodPost, "/api/analyze", body)
	r.Header.Set("X-Strand", "1")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)

	var a struct {
		Statements []struct {
			Nodes []struct {
				Name  string
				Shape []int
			}
			Contractions []struct {
				Steps []struct{ Expr string }
				Flops string
			}
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
		panic(err)
	}
	st := a.Statements[0]
	for _, n := range st.Nodes {
		fmt.Println(n.Name, n.Shape)
	}
	for _, step := range st.Contractions[0].Steps {
		fmt.Println(step.Expr)
	}
	fmt.Println("FLOPs:", st.Contractions[0].Flops)
	// Output:
	// A [2 3 4]
	// v [4]
	// B [4 3 5]
	// A[i α β] v[β] -> [i α β]
	// B[β α j] (A v)[i α β] -> [i j]
	// FLOPs: 264
}
